/** Argument models derived from the syscall table, and the paper's rule counts. */
import { describe, expect, it } from "vitest";
import { allArgModels, argModels, paperRuleCounts } from "../../stages/characterize/index.ts";

// pos:name:model:source, then * = coverage unit, P = the paper's model (magnitudes have neither)
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
      "3:mode:magnitude:a3",
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
      "2:addrlen:magnitude:a2",
      "-1:sockaddr.sa_family:socket_family:sa_family*",
    ]);
  });
  it("Table 1's magnitudes (recvfrom size, sendto len) are counted, never units or paper models", () => {
    expect(brief("recvfrom")).toEqual([
      "0:fd:fd_kind:fd_kind*",
      "2:size:magnitude:a2",
      "3:flags:flags:a3*",
      "-1:sockaddr.sa_family:socket_family:sa_family*",
    ]);
    expect(brief("sendto")).toContain("2:len:magnitude:a2");
    expect(brief("epoll_wait")).toEqual([
      "0:epfd:fd_kind:fd_kind*",
      "2:maxevents:magnitude:a2",
      "3:timeout:magnitude:a3",
    ]);
    expect(brief("poll")).toEqual(["1:nfds:magnitude:a1", "2:timeout:magnitude:a2"]);
  });
  it("pointers and addresses held in integer registers are never characterized", () => {
    expect(argModels("brk")).toEqual([]);
    expect(brief("mmap")).toEqual([
      "1:len:magnitude:a1",
      "2:prot:flags:a2*P",
      "3:flags:flags:a3*P",
      "4:fd:fd_kind:fd_kind*",
      "5:off:magnitude:a5",
    ]);
    expect(argModels("syscall_0x1ff")).toEqual([]);
  });
  it("futex: op is modelled (flags), its values are magnitudes", () => {
    expect(brief("futex")).toEqual(["1:op:flags:a1*P", "2:val:magnitude:a2", "5:val3:magnitude:a5"]);
  });
  it("only enum, flags, family, fd and path arguments are candidates, units or paper models", () => {
    for (const m of allArgModels()) {
      const candidate = ["enum", "flags", "family", "fd", "dirfd", "path"].includes(m.role);
      expect(m.candidate, `${m.syscall}.${m.name}`).toBe(candidate);
      expect(m.unit, `${m.syscall}.${m.name}`).toBe(candidate);
      if (m.paper) expect(candidate, `${m.syscall}.${m.name}`).toBe(true);
      if (m.model === "magnitude") expect(["magnitude", "mode"]).toContain(m.role);
    }
  });
  it("no two paper models of a syscall (other than paths) share a position (PAPER_TUPLES_SQL sorts tuples by it)", () => {
    const seen = new Map<string, string>();
    for (const m of allArgModels().filter((x) => x.paper && x.model !== "path")) {
      const k = `${m.syscall}:${m.pos}`;
      expect(seen.get(k), `${m.syscall} pos ${m.pos}: ${seen.get(k)} and ${m.name}`).toBeUndefined();
      seen.set(k, m.name);
    }
    expect(seen.size).toBeGreaterThan(0);
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
