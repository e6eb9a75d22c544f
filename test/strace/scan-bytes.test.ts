/**
 * The scan pass on a piece's bytes (scanBytes: latin1 windows of whole lines) against the scan of
 * the piece's whole text it replaced in the worker (scanText): the same lines, markers, task
 * starts, lone tracee, times and sequential flag on every capture we have, the golden lines and
 * edge cases of the window cut (cut call lines at a window's end, no final newline, lines longer
 * than a window), at windows small enough that every capture is cut many times.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { scanBytes, scanText } from "../../stages/strace/scan.ts";
import { REPO_ROOT, fileTidOf, listFiles, requireOrSkip, sharedDatasets } from "../util/datasets.ts";

function captureFiles(dir: string): string[] {
  return fs.existsSync(dir) ? listFiles(dir).filter((f) => !f.endsWith(".md") && !f.endsWith(".txt")) : [];
}

function read(file: string): Buffer {
  const raw = fs.readFileSync(file);
  return raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
}

/** scanBytes at several window sizes = scanText, as -ff file of `fileTid` and as a single file. */
function same(bytes: Buffer, fileTid = -1, windows = [1, 97, 4096, 1 << 16]): void {
  const text = bytes.toString("latin1");
  for (const tid of fileTid >= 0 ? [fileTid, -1] : [-1]) {
    const want = scanText(text, 7, tid);
    for (const w of windows) expect(scanBytes(bytes, 7, tid, w), `window ${w}, tid ${tid}`).toEqual(want);
  }
}

const bundled = [
  ...captureFiles(path.join(REPO_ROOT, "datasets", "captures")),
  ...captureFiles(path.join(REPO_ROOT, "datasets", "styles")),
];
const shared = requireOrSkip(sharedDatasets(), "shared datasets");
const sharedFiles = shared.path === null ? [] : captureFiles(path.join(shared.path, "strace"));

describe("scanBytes = scanText", () => {
  it("has captures to compare", () => {
    expect(bundled.length).toBeGreaterThan(0);
  });

  it.each(bundled.map((f) => [path.relative(REPO_ROOT, f), f]))("bundled %s", (_rel, file) => {
    same(read(file), fileTidOf(file) ?? -1);
  });

  it
    .skipIf(shared.skipReason !== null)
    .each(sharedFiles.map((f) => [path.relative(shared.path ?? "", f), f]))("shared %s", (_rel, file) => {
    same(read(file), fileTidOf(file) ?? -1, [257, 1 << 16]);
  });

  it("golden lines, each case whole and with every line a window", () => {
    const cases = YAML.parse(
      fs.readFileSync(path.join(REPO_ROOT, "test", "strace", "golden.yaml"), "utf8"),
    ) as { input: string[]; opts?: { fileTid?: number } }[];
    for (const c of cases) {
      const text = c.input.join("\n");
      same(Buffer.from(text + "\n", "latin1"), c.opts?.fileTid ?? -1);
      same(Buffer.from(text, "latin1"), c.opts?.fileTid ?? -1);
    }
  });

  it("edge cases of the window cut", () => {
    const cases = [
      "",
      "\n",
      "\n\n",
      "12:00:00.000001 close(3) = 0",
      // a call cut by the program's output: the rest of the call is on the next line (nextLine)
      "12:00:00.000001 clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD" +
        "hello\n, child_tidptr=0x7f) = 7 <0.000100>\n12:00:00.000002 exit_group(0) = ?\n",
      // cut by strace's attach message, resumed later
      "5 12:00:00.000001 clone(child_stack=NULL, flags=CLONE_THREADstrace: Process 6 attached\n" +
        "5 12:00:00.000002 <... clone resumed>, child_tidptr=0x7f) = 6\n6 12:00:00.000003 close(3) = 0\n",
      '[pid  5] 12:00:00.000001 execve("/bin/true", ["true"], 0x7ffd /* 1 var */ <unfinished ...>\n' +
        "[pid  5] 12:00:00.000002 <... execve resumed>) = 0\n",
      `12:00:00.000001 write(1, "${"x".repeat(300)}", 300) = 300\n12:00:00.000002 prctl(PR_SET_NAME, "worker") = 0\n`,
      "23:59:59.999999 close(3) = 0\n00:00:00.000001 close(4) = 0\n",
      "12:00:00.000001 seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=1, filter=0x1}) = 0\n12:00:00.000002 close(3) = 0",
    ];
    for (const c of cases) {
      same(Buffer.from(c, "latin1"), 5);
      same(Buffer.from(c, "latin1"), -1);
    }
  });
});
