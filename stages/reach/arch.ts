/**
 * The mined set as the analysed architecture names it. A capture recorded on x86_64 names calls
 * aarch64 does not have (open, stat, fork, …); for an aarch64 image the comparison uses what
 * glibc calls there instead (schemas/arch-equivalents.ts: open → openat, stat → newfstatat, …),
 * with the counts and task names of both merged. x86_64-only calls without a counterpart
 * (arch_prctl, …) stay as they are: compare explains them. Pure.
 */
import { X86_64_TO_AARCH64 } from "../../schemas/arch-equivalents.ts";
import type { MinedSyscall } from "./compare.ts";

export function minedFor(mined: readonly MinedSyscall[], arch: "x86_64" | "aarch64"): MinedSyscall[] {
  if (arch === "x86_64") return [...mined];
  const by = new Map<string, MinedSyscall>();
  for (const m of mined) {
    const name = X86_64_TO_AARCH64[m.syscall]?.to ?? m.syscall;
    const had = by.get(name);
    if (!had) by.set(name, { syscall: name, calls: m.calls, comms: [...m.comms] });
    else {
      had.calls += m.calls;
      had.comms = [...new Set([...had.comms, ...m.comms])].sort();
    }
  }
  return [...by.values()].sort((a, b) => (a.syscall < b.syscall ? -1 : 1));
}
