/**
 * Turns the observed values of one syscall's restricted arguments into seccomp argument
 * comparisons: one rule per observed tuple of `values`/`type` positions, each ANDed with the
 * `mask`/`clear` conditions. A position with an unrecorded value (null) in any governed call stays
 * unrestricted, so no recorded call can be denied by a guess.
 */
import type { ArgCmp } from "../../schemas/seccomp-profile.ts";
import { type ArgRestriction, isInt32Arg } from "./arg-plan.ts";
import { u64, type ArgRow } from "./facts.ts";

const LOW32 = 0xffffffffn;
/**
 * The bits a mask on a register-wide argument may forbid: all but bit 63, so that the mask fits the
 * SPO CRD's int64 (no flag argument gives bit 63 a meaning).
 */
const FLAGS64 = (1n << 63n) - 1n;
const SOCK_TYPE_MASK = 0xfn;

export interface ArgRules {
  /** the `args` of each rule (ORed); empty = the syscall stays unconditional */
  rules: ArgCmp[][];
  /** each restriction in words */
  conditions: string[];
  /** restrictions given up, and why */
  notes: string[];
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** An equality on one argument: the low 32 bits for int arguments (seccomp.md §3.5.7), else all 64. */
function equals(syscall: string, pos: number, v: bigint): ArgCmp {
  return isInt32Arg(syscall, pos)
    ? { index: pos, op: "SCMP_CMP_MASKED_EQ", value: LOW32, valueTwo: v & LOW32 }
    : { index: pos, op: "SCMP_CMP_EQ", value: u64(v) };
}

/** The comparisons of one syscall from its restrictions and observed rows. */
export function argRules(
  syscall: string,
  restrictions: readonly ArgRestriction[],
  rows: readonly ArgRow[],
): ArgRules {
  const conditions: string[] = [];
  const notes: string[] = [];
  const common: ArgCmp[] = [];
  const tuplePositions: ArgRestriction[] = [];
  for (const r of restrictions) {
    const seen = rows.map((row) => row.values[r.pos] ?? null);
    if (seen.some((v) => v === null)) {
      notes.push(`arg ${r.pos}: some calls have no recorded value; left unrestricted`);
      continue;
    }
    const vals = seen as bigint[];
    const width = isInt32Arg(syscall, r.pos) ? LOW32 : FLAGS64;
    if (r.how === "mask") {
      const union = vals.reduce((a, v) => a | u64(v), 0n);
      const forbidden = (r.bits ?? width) & ~union & width;
      if (forbidden === 0n) {
        notes.push(`arg ${r.pos}: every restricted bit was observed; no mask`);
        continue;
      }
      common.push({ index: r.pos, op: "SCMP_CMP_MASKED_EQ", value: forbidden, valueTwo: 0n });
      conditions.push(
        `arg ${r.pos} & ${hex(forbidden)} == 0 (bits never observed; observed union ${hex(union)})`,
      );
    } else if (r.how === "clear") {
      if (vals.some((v) => (u64(v) & r.bits) !== 0n)) {
        notes.push(`arg ${r.pos}: bits ${hex(r.bits)} observed set; allowed`);
        continue;
      }
      common.push({ index: r.pos, op: "SCMP_CMP_MASKED_EQ", value: r.bits, valueTwo: 0n });
      conditions.push(`arg ${r.pos} & ${hex(r.bits)} == 0 (never observed set)`);
    } else {
      tuplePositions.push(r);
    }
  }
  let rules: ArgCmp[][] = [common];
  if (tuplePositions.length) {
    const key = (v: bigint, r: ArgRestriction): bigint =>
      r.how === "type" ? u64(v) & SOCK_TYPE_MASK : isInt32Arg(syscall, r.pos) ? u64(v) & LOW32 : u64(v);
    const tuples = new Map<string, bigint[]>();
    for (const row of rows) {
      const t = tuplePositions.map((r) => key(row.values[r.pos]!, r));
      tuples.set(t.join(","), t);
    }
    const max = Math.min(...tuplePositions.map((r) => (r.how === "values" ? r.max : Infinity)));
    if (tuples.size > max) {
      notes.push(
        `args ${tuplePositions.map((r) => r.pos).join(",")}: ${tuples.size} distinct observed tuples (over ${max}); left unrestricted`,
      );
    } else {
      const sorted = [...tuples.values()].sort((a, b) => {
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
        return 0;
      });
      rules = sorted.map((t) => [
        ...t.map((v, i): ArgCmp => {
          const r = tuplePositions[i]!;
          return r.how === "type"
            ? { index: r.pos, op: "SCMP_CMP_MASKED_EQ", value: SOCK_TYPE_MASK, valueTwo: v }
            : equals(syscall, r.pos, v);
        }),
        ...common,
      ]);
      conditions.push(
        `args ${tuplePositions.map((r) => (r.how === "type" ? `${r.pos} (type & 0xf)` : String(r.pos))).join(", ")} in ` +
          sorted.map((t) => `(${t.map(hex).join(", ")})`).join(" | "),
      );
    }
  }
  rules = rules.map((args) => [...args].sort((a, b) => a.index - b.index)).filter((a) => a.length > 0);
  return { rules, conditions, notes };
}
