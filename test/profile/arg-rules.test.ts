/** Observed argument values → seccomp comparisons. */
import { describe, expect, it } from "vitest";
import { argSpecs } from "../../schemas/consts.ts";
import {
  SAFE_RESTRICTIONS,
  isRestrictable,
  planRestrictions,
  restrictablePositions,
} from "../../stages/profile/arg-plan.ts";
import { argRules } from "../../stages/profile/arg-rules.ts";
import type { ArgRow, Facts } from "../../stages/profile/facts.ts";
import { synthesize } from "../../stages/profile/synthesize.ts";

const row = (syscall: string, values: (bigint | null)[], calls = 1): ArgRow => ({
  syscall,
  arch: "x86_64",
  phase: "workload",
  values,
  calls,
});

describe("argument rules", () => {
  it("clone: namespace flags never observed are forbidden (64-bit mask)", () => {
    const r = argRules("clone", SAFE_RESTRICTIONS.clone!, [
      row("clone", [0x3d0f00n]),
      row("clone", [0x1200011n]),
    ]);
    expect(r.rules).toEqual([[{ index: 0, op: "SCMP_CMP_MASKED_EQ", value: 0x7e020000n, valueTwo: 0n }]]);
  });

  it("clone: an observed CLONE_NEWNET stays allowed, the other namespaces do not", () => {
    const r = argRules("clone", SAFE_RESTRICTIONS.clone!, [row("clone", [0x40000000n | 0x11n])]);
    expect(r.rules[0]![0]!.value).toBe(0x7e020000n & ~0x40000000n);
  });

  it("socket: one rule per observed (family, type & 0xf), int arguments compared on 32 bits", () => {
    const SOCK_STREAM_CLOEXEC = 1n | 0x80000n;
    const r = argRules("socket", SAFE_RESTRICTIONS.socket!, [
      row("socket", [2n, SOCK_STREAM_CLOEXEC, 6n]),
      row("socket", [2n, 1n, 0n]),
      row("socket", [1n, 2n, 0n]),
    ]);
    expect(r.rules).toEqual([
      [
        { index: 0, op: "SCMP_CMP_MASKED_EQ", value: 0xffffffffn, valueTwo: 1n },
        { index: 1, op: "SCMP_CMP_MASKED_EQ", value: 0xfn, valueTwo: 2n },
      ],
      [
        { index: 0, op: "SCMP_CMP_MASKED_EQ", value: 0xffffffffn, valueTwo: 2n },
        { index: 1, op: "SCMP_CMP_MASKED_EQ", value: 0xfn, valueTwo: 1n },
      ],
    ]);
  });

  it("a negative int value (sign-extended in the register) matches on its low 32 bits", () => {
    const r = argRules("personality", SAFE_RESTRICTIONS.personality!, [
      row("personality", [0xffffffffffffffffn]),
    ]);
    expect(r.rules).toEqual([
      [{ index: 0, op: "SCMP_CMP_MASKED_EQ", value: 0xffffffffn, valueTwo: 0xffffffffn }],
    ]);
  });

  it("mprotect: PROT_EXEC forbidden when never observed, no rule when observed", () => {
    const never = argRules("mprotect", SAFE_RESTRICTIONS.mprotect!, [row("mprotect", [1n, 2n, 3n])]);
    expect(never.rules).toEqual([[{ index: 2, op: "SCMP_CMP_MASKED_EQ", value: 4n, valueTwo: 0n }]]);
    const seen = argRules("mprotect", SAFE_RESTRICTIONS.mprotect!, [row("mprotect", [1n, 2n, 5n])]);
    expect(seen.rules).toEqual([]);
    expect(seen.notes.join()).toMatch(/observed set/);
  });

  it("an unrecorded value (null) leaves that argument unrestricted", () => {
    const r = argRules("ioctl", SAFE_RESTRICTIONS.ioctl!, [
      row("ioctl", [3n, 0x5401n]),
      row("ioctl", [3n, null]),
    ]);
    expect(r.rules).toEqual([]);
    expect(r.notes.join()).toMatch(/no recorded value/);
  });

  it("more distinct ioctl requests than the limit: unrestricted, with the reason", () => {
    const rows = Array.from({ length: 9 }, (_, i) => row("ioctl", [3n, BigInt(0x5401 + i)]));
    const r = argRules("ioctl", SAFE_RESTRICTIONS.ioctl!, rows);
    expect(r.rules).toEqual([]);
    expect(r.notes.join()).toMatch(/9 distinct/);
  });
});

describe("restriction plans", () => {
  const calls = [
    { syscall: "read", calls: 1000 },
    { syscall: "futex", calls: 900 },
    { syscall: "socket", calls: 3 },
    { syscall: "openat", calls: 50 },
  ];
  it("none restricts nothing; safe leaves hot syscalls unconditional", () => {
    expect(planRestrictions("none", calls).size).toBe(0);
    expect([...planRestrictions("safe", calls).keys()]).toEqual(["socket"]);
  });
  it("learned models the paper's enum, flags and family arguments of the top types", () => {
    const p = planRestrictions("learned", calls);
    expect(p.get("openat")).toEqual([{ pos: 2, how: "mask" }]);
    expect(p.get("futex")).toEqual([{ pos: 1, how: "mask" }]); // op; not val, val3

    expect(p.get("socket")?.map((r) => r.pos)).toEqual([0, 1, 2]);
    expect(p.has("read")).toBe(false);
  });
  it("learned never restricts a magnitude: Table 1's sendto len, recvfrom size, epoll_wait maxevents, poll timeout", () => {
    const hot = ["sendto", "recvfrom", "epoll_wait", "poll", "semop", "exit", "read", "write", "mmap"].map(
      (syscall, i) => ({ syscall, calls: 1000 - i }),
    );
    const p = planRestrictions("learned", hot);
    for (const s of ["sendto", "recvfrom", "epoll_wait", "poll", "semop", "exit", "read", "write"])
      expect(p.has(s), s).toBe(false);
    expect(p.get("mmap")?.map((r) => r.pos)).toEqual([2, 3]); // prot, flags; not addr, len, off
  });
  it("every position any mode may restrict is an enum, flags or family argument", () => {
    const all = Object.keys(SAFE_RESTRICTIONS).map((syscall) => ({ syscall, calls: 1 }));
    for (const [syscall, rs] of planRestrictions("safe", all))
      for (const r of rs) expect(isRestrictable(syscall, r.pos), `${syscall} arg ${r.pos}`).toBe(true);
    for (const syscall of [
      "sendto",
      "recvfrom",
      "futex",
      "epoll_wait",
      "mmap",
      "openat",
      "setsockopt",
      "lseek",
    ]) {
      for (const pos of restrictablePositions(syscall, false)) {
        expect(["enum", "flags", "family"], `${syscall} arg ${pos}`).toContain(argSpecs(syscall)![pos]!.role);
      }
    }
    expect(isRestrictable("sendto", 2)).toBe(false);
    expect(isRestrictable("sendto", 3)).toBe(true);
  });
});

describe("learned profile of a sendto/recvfrom-heavy workload", () => {
  // 37 sendto lengths and 5 recvfrom sizes: the defect was one rule per observed length
  const lens = Array.from({ length: 37 }, (_, i) => BigInt(100 + i * 13));
  const facts: Facts = {
    image: "web",
    runs: ["r1"],
    events: 0,
    usage: [
      { syscall: "sendto", arch: "x86_64", phase: "workload", comm: "web", run: "r1", calls: 500 },
      { syscall: "recvfrom", arch: "x86_64", phase: "workload", comm: "web", run: "r1", calls: 400 },
      { syscall: "epoll_wait", arch: "x86_64", phase: "workload", comm: "web", run: "r1", calls: 300 },
    ],
    args: [
      ...lens.map((len) => row("sendto", [5n, null, len, 0x4000n, null, 16n])),
      ...[1024n, 4096n, 8192n, 16384n, 65536n].map((size) => row("recvfrom", [5n, null, size, 0n])),
      row("epoll_wait", [4n, null, 512n, 60000n]),
    ],
    paths: [],
  };
  it("allows sendto, recvfrom and epoll_wait with no length, size or count condition", () => {
    const { profile, report } = synthesize(facts, {
      arch: "x86_64",
      args: "learned",
      withRuntime: false,
      dataset: "test",
    });
    for (const rule of profile.syscalls)
      for (const a of rule.args ?? [])
        expect(["enum", "flags", "family"], `${rule.names.join()} arg ${a.index}`).toContain(
          argSpecs(rule.names[0]!)![a.index]!.role,
        );
    for (const name of ["sendto", "recvfrom", "epoll_wait"]) {
      const e = report.syscalls.find((x) => x.name === name)!;
      expect(e.verdict, name).toBe("allow");
      expect(
        profile.syscalls.some((r) => r.names.includes(name) && !r.args?.length),
        name,
      ).toBe(true);
    }
  });
});
