/**
 * fd_path and ret_path of scap rows (strace -yy notation) from the fd table the reader keeps,
 * checked against the descriptor names sysdig 0.29.3 printed for the same events.
 */
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import type { DecodedParam } from "../../stages/scap/decoded-param.ts";
import { FdTables, normalizePath } from "../../stages/scap/fd-table.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import type { ThreadInfo } from "../../stages/scap/proclist.ts";
import { CAPTURES, capture, expected, scapAvailability } from "./captures.ts";

/** A decoded parameter for the table's tests (only what the table reads). */
function p(name: string, v: number | string, info?: string, family = -1): DecodedParam {
  const isStr = typeof v === "string";
  return {
    info: { name, type: "X", fmt: "DEC", ...(info ? { info } : {}) },
    int: isStr ? null : v,
    str: isStr ? v : null,
    kind: 0,
    family,
    text: String(v),
  };
}

describe("FdTables", () => {
  const threads = new Map<number, ThreadInfo>([[10, { pid: 10, comm: "a", containerId: null, cwd: "/srv" }]]);

  it("follows opens, pipes, dups, closes, sockets and execve's close-on-exec", () => {
    const t = new FdTables(threads);
    expect(
      t.apply(10, "openat", [p("dirfd", -100), p("name", "./x/../y.txt"), p("flags", 1, "file_flags")], 3),
    ).toBe(3);
    expect(t.lookup(10, 3, false)).toEqual({ text: "/srv/y.txt", deleted: false });
    expect(t.lookup(10, -100, true)).toEqual({ text: "/srv", deleted: false });
    t.apply(10, "pipe", [p("fd1", 4), p("fd2", 5), p("ino", 777)], 0);
    expect(t.lookup(10, 5, false)?.text).toBe("pipe:[777]");
    t.apply(10, "dup2", [p("oldfd", 4), p("newfd", 1)], 1);
    expect(t.lookup(10, 1, false)?.text).toBe("pipe:[777]");
    t.apply(10, "close", [p("fd", 4)], 0);
    expect(t.lookup(10, 4, false)).toBeNull();
    t.apply(10, "socket", [p("domain", 2), p("type", 1 | 0x80000), p("proto", 0)], 6);
    expect(t.lookup(10, 6, false)).toBeNull(); // strace shows the inode, which the capture lacks
    t.apply(10, "connect", [p("fd", 6), p("tuple", "10.0.0.1:5000->10.0.0.2:80", undefined, 2)], -115);
    expect(t.lookup(10, 6, false)?.text).toBe("TCP:[10.0.0.1:5000->10.0.0.2:80]");
    // sysdig's accept tuple is client->server; strace shows local->remote
    t.apply(10, "accept", [p("tuple", "::1:40000->::1:80", undefined, 10)], 7);
    expect(t.lookup(10, 7, false)?.text).toBe("TCPv6:[[::1]:80->[::1]:40000]");
    t.apply(10, "memfd_create", [p("name", "jit")], 8);
    expect(t.lookup(10, 8, false)).toEqual({ text: "/memfd:jit", deleted: true });
    t.apply(10, "execve", [], 0);
    expect(t.lookup(10, 6, false)).toBeNull(); // SOCK_CLOEXEC
    expect(t.lookup(10, 3, false)?.text).toBe("/srv/y.txt"); // opened without O_CLOEXEC
  });

  it("gives a forked child a copy and a CLONE_FILES thread the same table", () => {
    const t = new FdTables(threads);
    t.apply(10, "open", [p("name", "/a")], 3);
    t.apply(10, "clone", [p("flags", 0, "clone_flags")], 11);
    t.apply(11, "close", [p("fd", 3)], 0);
    expect(t.lookup(10, 3, false)?.text).toBe("/a");
    expect(t.lookup(11, 3, false)).toBeNull();
    expect(normalizePath("/a/./b/../../c")).toBe("/c");
    expect(normalizePath("rel")).toBeNull();
  });
});

/** sysdig's `fd=N(<type>name)` of each printed event, by event number. */
function sysdigNames(text: string): Map<number, { type: string; name: string }> {
  const out = new Map<number, { type: string; name: string }>();
  for (const line of text.split("\n")) {
    const m = /^(\d+) \S+ \d+ .*? \(\d+\) [<>] \S+ (.*)$/.exec(line);
    const a = m && /(?:^| )\w*fd\w*=-?\d+\(<(\w+)>(.*?)\)(?: \w+=|\s*$)/.exec(m[2]!);
    if (a) out.set(Number(m[1]), { type: a[1]!, name: a[2]! });
  }
  return out;
}

/** The two endpoints of a strace `TCP:[a->b]` or a sysdig `a->b`, without v6 brackets, sorted. */
function endpoints(s: string): string {
  return s
    .replace(/^\w+:\[(.*)\]$/, "$1")
    .replace(/[[\]]/g, "")
    .split("->")
    .sort()
    .join(" ");
}

describe.skipIf(scapAvailability.skipReason !== null)("fd_path against sysdig 0.29.3", () => {
  it("names the same file, directory, fifo and socket for every event where both name one", () => {
    const counts: Record<string, number> = {};
    const differ: string[] = [];
    for (const rel of CAPTURES) {
      const text = expected(rel, ".txt");
      if (text === null) continue;
      const names = sysdigNames(text);
      const batch = new EventBatch();
      new ScapParser({ capture: rel, arch: "x86_64", phase: "unknown" }, batch).parse(capture(rel));
      const rb = batch.toRecordBatch();
      for (let i = 0; i < rb.numRows; i++) {
        const seq = Number(rb.getChild("seq")!.get(i));
        const ours = rb.getChild("fd_path")!.get(i) as string | null;
        const s = names.get(seq);
        if (!s || s.name === "" || ours === null) continue;
        const socket = /^[46][tu]$/.test(s.type);
        const same = socket ? endpoints(ours) === endpoints(s.name) : ours === s.name;
        const kind = socket ? "socket" : "path";
        counts[kind] = (counts[kind] ?? 0) + 1;
        if (!same) differ.push(`${rel} #${seq}: sysdig ${s.name}, ours ${ours}`);
      }
    }
    expect(counts.path).toBeGreaterThanOrEqual(550);
    expect(counts.socket).toBeGreaterThanOrEqual(14);
    // the one listed difference: a UDP socket connect()ed a second time (res=0, to
    // 2001:4860:4860::8888:53); sysdig keeps the first peer, the table follows the new tuple
    expect(differ).toEqual([
      "falcosecurity-libs/test_ipv6_client.scap #232: sysdig ::1:38255->::1:2345, ours UDPv6:[[::1]:38255->[2001:4860:4860::8888]:53]",
      "falcosecurity-libs/test_ipv6_client.scap #237: sysdig ::1:38255->::1:2345, ours UDPv6:[[::1]:38255->[2001:4860:4860::8888]:53]",
    ]);
  });

  it("decorates the returned descriptor of opens (ret_path)", () => {
    const batch = new EventBatch();
    const rel = "falcosecurity-libs/curl_google.scap";
    new ScapParser({ capture: rel, arch: "x86_64", phase: "unknown" }, batch).parse(capture(rel));
    const rb = batch.toRecordBatch();
    const i = [...Array(rb.numRows).keys()].find((k) => rb.getChild("seq")!.get(k) === 218n)!;
    expect(rb.getChild("syscall")!.get(i)).toBe("open");
    expect(rb.getChild("ret_path")!.get(i)).toBe("/etc/ld.so.cache");
  });
});
