/** The x86_64 → aarch64 table covers every x86_64-only syscall and maps to real aarch64 calls. */
import { describe, expect, it } from "vitest";
import { X86_64_ONLY, X86_64_TO_AARCH64 } from "../../schemas/arch-equivalents.ts";
import { argSpecs, syscallNumber } from "../../schemas/consts.ts";
import { SYSCALL_NUMBERS } from "../../schemas/generated/syscalls.ts";
import { translateFacts } from "../../stages/profile/translate.ts";

describe("x86_64 → aarch64 equivalents", () => {
  const x86only = Object.keys(SYSCALL_NUMBERS.x86_64).filter(
    (n) => syscallNumber("aarch64", n) === undefined,
  );

  it("every x86_64-only name is mapped or listed with a reason, never both", () => {
    for (const n of x86only) {
      const mapped = n in X86_64_TO_AARCH64;
      const listed = n in X86_64_ONLY;
      expect(mapped !== listed, n).toBe(true);
    }
    expect(Object.keys(X86_64_TO_AARCH64).length + Object.keys(X86_64_ONLY).length).toBe(x86only.length);
  });

  it("each replacement exists on aarch64 and takes at most its kernel argument count", () => {
    for (const [from, eq] of Object.entries(X86_64_TO_AARCH64)) {
      expect(syscallNumber("aarch64", eq.to), `${from} → ${eq.to}`).toBeDefined();
      const n = argSpecs(eq.to)?.length ?? 6;
      expect(eq.args.length, `${from} → ${eq.to}`).toBeLessThanOrEqual(n);
      for (const a of eq.args) if ("from" in a) expect(a.from).toBeLessThan(argSpecs(from)?.length ?? 6);
    }
  });

  it("open's flags move to openat's third argument with AT_FDCWD first", () => {
    const t = translateFacts(
      {
        image: "i",
        runs: ["r"],
        events: 2,
        usage: [
          { syscall: "open", arch: "x86_64", phase: "workload", comm: "c", run: "r", calls: 1 },
          { syscall: "arch_prctl", arch: "x86_64", phase: "workload", comm: "c", run: "r", calls: 1 },
        ],
        args: [
          {
            syscall: "open",
            arch: "x86_64",
            phase: "workload",
            values: [null, 0x80000n, 0n, null, null, null],
            calls: 1,
          },
        ],
        paths: [],
      },
      "aarch64",
    );
    expect(t.facts.usage.map((u) => u.syscall)).toEqual(["openat"]);
    expect(t.facts.args[0]!.values).toEqual([-100n, null, 0x80000n, 0n]);
    expect(t.mapped.get("openat")).toEqual(["open"]);
    expect(t.dropped).toEqual([{ name: "arch_prctl", reason: X86_64_ONLY.arch_prctl }]);
  });
});
