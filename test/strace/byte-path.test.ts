/**
 * The byte path of the strace parser (complete call lines read as bytes: call-line.ts,
 * ret-bytes.ts, split-bytes.ts, decode-args-bytes.ts) against the string path it replaces for
 * those lines (`stringsOnly`): the same Arrow batch (compared as IPC bytes), rejects, skips and
 * counters, on every capture we have, the golden lines, edge cases and seeded mutations of real
 * lines.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { tableToIPC, Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { seededRandom } from "../../stages/coverage/rng.ts";
import { StraceParser } from "../../stages/strace/parser.ts";
import { REPO_ROOT, fileTidOf, listFiles, sharedDatasets } from "../util/datasets.ts";

interface Outcome {
  ipc: Buffer;
  rest: unknown;
}

function parse(latin1: string, fileTid: number, arch: string, atEof: boolean, stringsOnly: boolean): Outcome {
  const batch = new EventBatch();
  const parser = new StraceParser(
    {
      capture: "capture",
      fileTid,
      firstLine: 1,
      startDay: 0,
      defaultState: { pos: -Infinity, phase: "unknown", comm: null, arch },
      timelines: new Map(),
      atEof,
      stringsOnly,
    },
    batch,
  );
  const lines = parser.parseText(latin1, /[\x80-\xff]/.test(latin1));
  parser.finish();
  const rest = {
    lines,
    events: parser.events,
    eventLines: parser.eventLines,
    rejects: parser.rejects,
    skips: parser.skips,
    unfinished: parser.unfinishedNeverResumed,
    spliced: parser.splicedCalls,
    unnamed: parser.unnamedCalls,
  };
  return { ipc: Buffer.from(tableToIPC(new Table(batch.toRecordBatch()), "stream")), rest };
}

/** Parses `bytes` both ways (as -ff file of `fileTid` and as a single file) and compares. */
function same(bytes: Buffer, fileTid = -1, arch = "x86_64"): void {
  const latin1 = bytes.toString("latin1");
  for (const tid of fileTid >= 0 ? [fileTid, -1] : [-1]) {
    for (const atEof of [true, false]) {
      const a = parse(latin1, tid, arch, atEof, false);
      const b = parse(latin1, tid, arch, atEof, true);
      expect(a.rest).toEqual(b.rest);
      expect(a.ipc.equals(b.ipc)).toBe(true);
    }
  }
}

function captureFiles(dir: string): string[] {
  return fs.existsSync(dir) ? listFiles(dir).filter((f) => !f.endsWith(".md") && !f.endsWith(".txt")) : [];
}

function read(file: string): Buffer {
  const raw = fs.readFileSync(file);
  return raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
}

const bundled = [
  ...captureFiles(path.join(REPO_ROOT, "datasets", "captures")),
  ...captureFiles(path.join(REPO_ROOT, "datasets", "styles")),
];
const sharedDir = sharedDatasets();
const shared = sharedDir === null ? [] : captureFiles(path.join(sharedDir, "strace"));

describe("byte path = string path", () => {
  it.each(bundled.map((f) => [path.relative(REPO_ROOT, f), f]))("bundled %s", (_rel, file) => {
    same(read(file), fileTidOf(file) ?? -1);
  });

  it.skipIf(shared.length === 0).each(shared.map((f) => [path.basename(f), f]))("shared %s", (_rel, file) => {
    same(read(file), fileTidOf(file) ?? -1, file.includes("arm-cc1") ? "i386" : "x86_64");
  });

  it("golden lines", () => {
    const cases = YAML.parse(
      fs.readFileSync(path.join(REPO_ROOT, "test", "strace", "golden.yaml"), "utf8"),
    ) as { input: string[]; opts?: { fileTid?: number; arch?: string } }[];
    for (const c of cases) {
      same(Buffer.from(c.input.join("\n") + "\n", "utf8"), c.opts?.fileTid ?? -1, c.opts?.arch ?? "x86_64");
    }
  });

  it("edge cases of the call line", () => {
    const lines = [
      "04:58:45.784795 close(9<UNIX-STREAM:[45560->45559]>) = 0 <0.000337>",
      "04:58:45.784795 close(9</tmp/x (deleted)>) = 0 <0.000337>",
      '04:58:45.784795 openat(AT_FDCWD, "/a\\"b", O_RDONLY) = 3</a"b> (deleted) <0.000337>',
      '04:58:45.784795 openat(AT_FDCWD, "/a", O_RDONLY) = 3</a> <0.000337>',
      '04:58:45.784795 openat(AT_FDCWD, "/a", O_RDONLY) = 3</a> (flags O_RDONLY) <0.000337>',
      '04:58:45.784795 openat(AT_FDCWD, "/a", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000337>',
      '04:58:45.784795 read(3, ") = 5", 5) = 5',
      '04:58:45.784795 read(3, "x"..., 5) = ? <0.000001>',
      "04:58:45.784795 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fc2000",
      "04:58:45.784795 lseek(3, 0, SEEK_END) = 18446744073709551615",
      "04:58:45.784795 lseek(3, 0xffffffffffffffff, SEEK_END) = 0xfffffffffffff",
      '04:58:45.784795 chmod("/x", 0644) = 0',
      "04:58:45.784795 foo() = 0",
      "04:58:45.784795 foo( ) = 0",
      "04:58:45.784795 foo(, 1) = 0",
      "04:58:45.784795 foo(1 , 2 ) = 0",
      "04:58:45.784795 clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 7",
      "04:58:45.784795 clone(child_stack=NULL, constructor=1) = 7",
      "04:58:45.784795 futex(0x7f, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)",
      "04:58:45.784795 connect(3, {sa_family=AF_INET, sin_port=htons(80)}, 16) = 0",
      "04:58:45.784795 connect(3, {sa_family=AF_UNKNOWN_X, x}, 16) = 0",
      "04:58:45.784795 ioctl(1, TCGETS or SNDCTL_TMR_TIMEBASE, 0x7ffd) = 0",
      "04:58:45.784795 ioctl(1, _IOC(_IOC_READ, 0x54, 0x1, 0x4), 0x7ffd) = 0",
      "04:58:45.784795 fcntl(3, F_SETFD, FD_CLOEXEC|UNKNOWN_FLAG) = 0",
      "04:58:45.784795 arch_prctl(0x3001 /* ARCH_??? */, 0x7fffffffa2f0) = -1 EINVAL (Invalid argument)",
      '04:58:45.784795 write(1<pipe:[1]>, "a", 1) = 1 <0.0000001234567>',
      '04:58:45.784795 write(1, "a", 1) = 1 <12.5>',
      '04:58:45.784795 write(1, "a", 1) = 1 <.5>',
      '04:58:45.784795 write(1, "a", 1) =  1',
      '04:58:45.784795 write(1, "a", 1)= 1',
      '04:58:45.784795 write(1, "a", 1) = x',
      '04:58:45.784795 write(1, "a", 1) = 1 E',
      '04:58:45.784795 write(1, "a", 1) = -1 E2BIG',
      "04:58:45.784795 nosuchcall(1) = 0",
      "04:58:45 close(3) = 0",
      "1700000000.123456 close(3) = 0",
      "     0.000123 close(3) = 0",
      "0.000123 close(3) = 0",
      "12345 04:58:45.784795 close(3) = 0",
      "12345  close(3) = 0",
      "12345 close(3) = 0",
      "close(3) = 0",
      "close(3<\\x>) = 0",
      "\tclose(3) = 0",
      " close(3) = 0",
      "  > /lib/x.so(sym+0x1) [0x1]",
      " | 00000  61 62                                            ab               |",
      "",
      "   ",
      "04:58:45.784795 close(3",
      "04:58:45.784795 read(3,  <unfinished ...>",
      '04:58:45.784795 <... read resumed>"x", 1) = 1',
      "04:58:45.784795 --- SIGCHLD {si_signo=SIGCHLD} ---",
      "04:58:45.784795 +++ exited with 0 +++",
      "04:58:45.784795 ???() = 0",
      "04:58:45.784795 [00007f] close(3) = 0",
      "04:58:45.784795 [ 3] close(3) = 0",
      "[pid 7] 04:58:45.784795 close(3) = 0",
      "strace: Process 7 attached",
      '04:58:45.784795 getcwd("/\\303\\251", 4096) = 4',
      '04:58:45.784795 openat(AT_FDCWD, "/é", O_RDONLY) = 3</é>',
      '04:58:45.784795 rename("/a", "/b") = 0',
      "04:58:45.784795 epoll_wait(5<anon_inode:[eventpoll]>, [{events=EPOLLIN, data={u32=9, u64=9}}], 10128, 100) = 1 <0.000035>",
      '04:58:45.784795 sendto(3<socket:[1]>, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1',
      "04:58:45.784795 dup2(3</dev/null<char 1:3>>, 1</dev/pts/0<char 136:0>>) = 1</dev/null<char 1:3>>",
      '04:58:45.784795 write(2, "\\\\", 1) = 1',
      "04:58:45.784795 close(3) = 0 <0.000001>\r",
      "04:58:45.784795 close(3<abc  ) = 0",
      '04:58:45.784795 read(3<a>  , "x", 1) = 1',
      "04:58:45.784795 read(3<a, 1) = 1",
      "04:58:45.784795 read(3<a>b>, 1) = 1",
      "04:58:45.784795 read(3<a<b>>x, 1) = 1",
      "04:58:45.784795 read(, , 1) = 1",
      "04:58:45.784795 read(3 /* x */, 1 /* y, 2) = 1",
      "04:58:45.784795 read({a, (b}, 1) = 1",
      "04:58:45.784795 read(3), 1) = 1",
      "04:58:45.784795 close(3) = 0",
    ];
    const text = Buffer.from(lines.join("\n") + "\n", "utf8");
    same(text, 7);
    // each line on its own too (no state from the lines before), and without the final newline
    for (const l of lines) {
      same(Buffer.from(l + "\n", "utf8"), 7);
      same(Buffer.from(l, "utf8"), 7);
    }
  });

  it("seeded mutations of real lines", () => {
    const rnd = seededRandom(14);
    const src = bundled.slice(0, 40).flatMap((f) => read(f).toString("latin1").split("\n").slice(0, 60));
    const specials = [
      '"',
      "<",
      ">",
      "(",
      ")",
      " ",
      ",",
      "=",
      "\\",
      "/*",
      "*/",
      "{",
      "}",
      "[",
      "]",
      "0",
      "-",
      "x",
      "\n",
    ];
    const out: string[] = [];
    for (let i = 0; i < 6000; i++) {
      let l = src[Math.floor(rnd() * src.length)]!;
      const edits = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(rnd() * (l.length + 1));
        const r = rnd();
        if (r < 0.4) l = l.slice(0, at) + l.slice(at + 1);
        else if (r < 0.8) l = l.slice(0, at) + specials[Math.floor(rnd() * specials.length)]! + l.slice(at);
        else l = l.slice(0, at);
      }
      out.push(l);
    }
    for (let i = 0; i < out.length; i += 300) {
      same(Buffer.from(out.slice(i, i + 300).join("\n") + "\n", "latin1"), 7);
    }
  });
});
