/**
 * Moves facts recorded on x86_64 to the profile's architecture: names aarch64 lacks become the
 * call glibc makes there (schemas/arch-equivalents.ts), with their argument values moved to the
 * replacement's positions; names with no counterpart are dropped with the reason.
 */
import { X86_64_ONLY, X86_64_TO_AARCH64 } from "../../schemas/arch-equivalents.ts";
import { syscallNumber } from "../../schemas/consts.ts";
import { UNNAMED_SYSCALL } from "../../schemas/events.ts";
import type { ArgRow, Facts, UsageRow } from "./facts.ts";

/** The syscall architectures a profile can target. */
export const PROFILE_ARCHES = ["x86_64", "aarch64"] as const;
export type ProfileArch = (typeof PROFILE_ARCHES)[number];

/** The 32-bit compat architecture of a 64-bit one (denied unless observed). */
export const COMPAT_ARCH: Readonly<Record<ProfileArch, string>> = { x86_64: "i386", aarch64: "arm" };

export interface Translated {
  facts: Facts;
  /** replacement name → the observed names it stands for */
  mapped: Map<string, string[]>;
  dropped: { name: string; reason: string }[];
}

/**
 * Why a recorded name cannot be a profile rule, or null: strace's `???` without a number, and
 * `syscall_0x…` numbers no table names, have no name a runtime could resolve. Their calls stay
 * denied by the default action and the report lists them.
 */
function unnamedReason(syscall: string): string | null {
  if (syscall === UNNAMED_SYSCALL)
    return "strace printed ??? and no number (-n) was recorded: no name to allow";
  if (syscall.startsWith("syscall_0x"))
    return `number ${syscall.slice(8)} has no name on this architecture: no name to allow`;
  return null;
}

/** Translates `facts` (any recorded arch) to `target`. */
export function translateFacts(facts: Facts, target: ProfileArch): Translated {
  const mapped = new Map<string, string[]>();
  const dropped = new Map<string, string>();
  const nameOf = (syscall: string, arch: string): string | null => {
    const unnamed = unnamedReason(syscall);
    if (unnamed !== null) {
      dropped.set(syscall, unnamed);
      return null;
    }
    if (arch === target || arch === COMPAT_ARCH[target]) return syscall;
    if (syscallNumber(target, syscall) !== undefined) return syscall;
    if (arch === "x86_64" && target === "aarch64") {
      const eq = X86_64_TO_AARCH64[syscall];
      if (eq) {
        const list = mapped.get(eq.to) ?? [];
        if (!list.includes(syscall)) list.push(syscall);
        mapped.set(eq.to, list.sort());
        return eq.to;
      }
      dropped.set(syscall, X86_64_ONLY[syscall] ?? `not an aarch64 syscall`);
      return null;
    }
    dropped.set(syscall, `recorded on ${arch}; no mapping to ${target}`);
    return null;
  };
  const usage: UsageRow[] = [];
  for (const u of facts.usage) {
    const name = nameOf(u.syscall, u.arch);
    if (name !== null)
      usage.push({ ...u, syscall: name, arch: u.arch === COMPAT_ARCH[target] ? u.arch : target });
  }
  const args: ArgRow[] = [];
  for (const r of facts.args) {
    const name = nameOf(r.syscall, r.arch);
    if (name === null) continue;
    let values = r.values;
    if (name !== r.syscall && r.arch === "x86_64" && target === "aarch64") {
      const eq = X86_64_TO_AARCH64[r.syscall]!;
      values = eq.args.map((src) =>
        "from" in src ? (r.values[src.from] ?? null) : "value" in src ? src.value : null,
      );
    }
    args.push({ ...r, syscall: name, arch: target, values });
  }
  return {
    facts: { ...facts, usage, args },
    mapped,
    dropped: [...dropped]
      .map(([name, reason]) => ({ name, reason }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}
