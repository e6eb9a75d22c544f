/** Observed argument values → seccomp comparisons. */
import { describe, expect, it } from "vitest";
import { SAFE_RESTRICTIONS, planRestrictions } from "../../stages/profile/arg-plan.ts";
import { argRules } from "../../stages/profile/arg-rules.ts";
import type { ArgRow } from "../../stages/profile/facts.ts";

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
  it("learned models the paper's discrete arguments of the top types", () => {
    const p = planRestrictions("learned", calls);
    expect(p.get("openat")).toEqual([{ pos: 2, how: "mask" }]);
    expect(p.get("futex")?.map((r) => r.pos)).toEqual([1]);
    expect(p.has("read")).toBe(false);
  });
});
