/**
 * Which arguments each mode restricts, and how. `safe` restricts only where it cuts real attack
 * surface (seccomp.md §3.5, §4.4): namespace flags, socket family and type, personality, prctl
 * options, PROT_EXEC, small ioctl sets and setsockopt levels; hot syscalls stay unconditional so
 * the kernel's constant-action cache still applies. `learned` is the paper's type+argument
 * sandbox: the modelled enum, flags and family arguments of the 20 most invoked types. Either
 * way only arguments whose role in the argument table is enum, flags or family are ever
 * restricted: lengths, counts, sizes, timeouts, offsets, addresses, ids and file modes never are
 * (`planRestrictions` refuses a plan that would).
 */
import { SECCOMP_RULE_ROLES, argModels } from "../characterize/arg-models.ts";
import { argSpecs } from "../../schemas/consts.ts";
import type { ArgMode } from "../../schemas/profile-report.ts";

/**
 * How one argument position is restricted:
 * - `values`: the observed values, one rule per observed tuple (EQ, or the low 32 bits for int args);
 * - `mask`: bits never observed are forbidden, within `bits` (all bits when absent);
 * - `type`: socket type without SOCK_NONBLOCK/SOCK_CLOEXEC (low 4 bits), one rule per tuple;
 * - `clear`: the `bits` must be clear unless observed set (PROT_EXEC).
 */
export type ArgRestriction =
  | { pos: number; how: "values"; max: number }
  | { pos: number; how: "type" }
  | { pos: number; how: "mask"; bits?: bigint }
  | { pos: number; how: "clear"; bits: bigint };

/** Namespace flags of clone/unshare (CLONE_NEWNS … CLONE_NEWNET, CLONE_NEWCGROUP), as Docker's rule. */
export const CLONE_NS_FLAGS = 0x7e020000n;
const PROT_EXEC = 4n;

/** The `safe` mode's restrictions, by syscall. */
export const SAFE_RESTRICTIONS: Readonly<Record<string, readonly ArgRestriction[]>> = {
  clone: [{ pos: 0, how: "mask", bits: CLONE_NS_FLAGS }],
  unshare: [{ pos: 0, how: "mask" }],
  setns: [{ pos: 1, how: "values", max: 8 }],
  socket: [
    { pos: 0, how: "values", max: 16 },
    { pos: 1, how: "type" },
  ],
  socketpair: [{ pos: 0, how: "values", max: 8 }],
  personality: [{ pos: 0, how: "values", max: 8 }],
  prctl: [{ pos: 0, how: "values", max: 24 }],
  mmap: [{ pos: 2, how: "clear", bits: PROT_EXEC }],
  mprotect: [{ pos: 2, how: "clear", bits: PROT_EXEC }],
  pkey_mprotect: [{ pos: 2, how: "clear", bits: PROT_EXEC }],
  ioctl: [{ pos: 1, how: "values", max: 8 }],
  setsockopt: [{ pos: 1, how: "values", max: 8 }],
};

/** How many of the most invoked types get argument rules in `learned` mode (the paper's 20). */
export const LEARNED_TOP = 20;
/** Above this many distinct tuples a learned syscall keeps a name-only rule (filter size). */
export const LEARNED_MAX_TUPLES = 64;

/**
 * Whether a seccomp rule may compare this argument: its role in the argument table is enum, flags
 * or family (never a magnitude, mode, pointer, descriptor number or path).
 */
export function isRestrictable(syscall: string, pos: number): boolean {
  const role = argSpecs(syscall)?.[pos]?.role;
  return role !== undefined && SECCOMP_RULE_ROLES.includes(role);
}

/** The paper's modelled enum, flags and family arguments of a syscall, as restrictions. */
function learnedRestrictions(syscall: string): ArgRestriction[] {
  return argModels(syscall)
    .filter((m) => m.paper && m.candidate && m.pos >= 0 && SECCOMP_RULE_ROLES.includes(m.role))
    .map((m) =>
      m.role === "flags"
        ? { pos: m.pos, how: "mask" as const }
        : { pos: m.pos, how: "values" as const, max: LEARNED_MAX_TUPLES },
    );
}

/** Throws when a restriction names an argument that is not enum, flags or family. */
function checked(syscall: string, rs: readonly ArgRestriction[]): readonly ArgRestriction[] {
  for (const r of rs) {
    if (!isRestrictable(syscall, r.pos)) {
      const spec = argSpecs(syscall)?.[r.pos];
      throw new Error(
        `${syscall} arg ${r.pos} (${spec?.name ?? "?"}: ${spec?.role ?? "no role"}) is not an enum, flags or family argument; it cannot be restricted`,
      );
    }
  }
  return rs;
}

/**
 * The restrictions per syscall for a mode; `byCalls` lists the governed syscalls with their call
 * counts (for the paper's top 20).
 */
export function planRestrictions(
  mode: ArgMode,
  byCalls: readonly { syscall: string; calls: number }[],
): Map<string, readonly ArgRestriction[]> {
  const plan = new Map<string, readonly ArgRestriction[]>();
  if (mode === "none") return plan;
  if (mode === "safe") {
    for (const { syscall } of byCalls) {
      const r = SAFE_RESTRICTIONS[syscall];
      if (r) plan.set(syscall, checked(syscall, r));
    }
    return plan;
  }
  const top = [...byCalls]
    .sort((a, b) => b.calls - a.calls || (a.syscall < b.syscall ? -1 : 1))
    .slice(0, LEARNED_TOP);
  for (const { syscall } of top) {
    const r = learnedRestrictions(syscall);
    if (r.length) plan.set(syscall, checked(syscall, r));
  }
  return plan;
}

/** Whether the kernel reads only the low 32 bits of this argument (an `int`-typed parameter). */
export function isInt32Arg(syscall: string, pos: number): boolean {
  return argSpecs(syscall)?.[pos]?.bits === 32;
}

/**
 * The argument positions any mode may restrict for a recorded syscall name: the `safe` table, the
 * paper's models (learned, whatever the top 20 turn out to be), and every position of a name that
 * another architecture replaces (its values move to the replacement's positions).
 */
export function restrictablePositions(syscall: string, replaced: boolean): number[] {
  if (replaced) return [0, 1, 2, 3, 4, 5];
  const pos = new Set<number>();
  for (const r of SAFE_RESTRICTIONS[syscall] ?? []) pos.add(r.pos);
  for (const r of learnedRestrictions(syscall)) pos.add(r.pos);
  return [...pos].sort((a, b) => a - b);
}
