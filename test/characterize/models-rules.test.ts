/** Argument models derived from the syscall table, and the paper's rule counts. */
import { describe, expect, it } from "vitest";
import { argModels, paperRuleCounts } from "../../stages/characterize/index.ts";

const brief = (s: string): string[] =>
  argModels(s).map(
    (m) => `${m.pos}:${m.name}:${m.model}:${m.source}${m.unit ? "*" : ""}${m.paper ? "P" : ""}`,
  );

describe("argument models", () => {
  it("openat: dirfd, path (paper), flags (paper), mode", () => {
    expect(brief("openat")).toEqual([
      "0:dfd:dirfd:a0*",
      "1:filename:path:path*P",
      "2:flags:flags:a2*P",
      "3:mode:discrete:a3*",
    ]);
  });
  it("socket: family as a socket family, the paper's three discrete arguments", () => {
    expect(brief("socket")).toEqual([
      "0:family:socket_family:a0*P",
      "1:type:flags:a1*P",
      "2:protocol:discrete:a2*P",
    ]);
  });
  it("connect: the first fd's kind and the sockaddr's family; sizes are not units", () => {
    expect(brief("connect")).toEqual([
      "0:fd:fd_kind:fd_kind*",
      "2:addrlen:discrete:a2",
      "-1:sockaddr.sa_family:socket_family:sa_family*",
    ]);
  });
  it("Table 1 numbers are units (recvfrom size), pointers are never characterized", () => {
    expect(brief("recvfrom")).toContain("2:size:discrete:a2*P");
    expect(argModels("brk")).toEqual([]);
    expect(argModels("syscall_0x1ff")).toEqual([]);
  });
});

describe("paper rule counts", () => {
  const types = [
    { syscall: "openat", calls: 50 },
    { syscall: "mmap", calls: 40 },
    { syscall: "read", calls: 30 },
    { syscall: "exit_group", calls: 1 },
  ];
  it("top types: path model → 1 TRACE rule, discrete tuples → one rule each, none → 1", () => {
    const r = paperRuleCounts(
      types,
      [
        { syscall: "openat", tuples: 3, has_path: true },
        { syscall: "mmap", tuples: 4, has_path: false },
      ],
      3,
    );
    expect(r).toEqual({
      type_rules: 4,
      type_arg_rules: 1 + 4 + 1 + 1,
      top: ["openat", "mmap", "read"],
      top_share: 120 / 121,
    });
  });
  it("with top 20 every type of a small image is a top type", () => {
    expect(paperRuleCounts(types, []).type_arg_rules).toBe(4);
    expect(paperRuleCounts([], [])).toEqual({ type_rules: 0, type_arg_rules: 0, top: [], top_share: 0 });
  });
});
