/**
 * The events a check reads, as SQL: the image and run filter, the governed phases, and the
 * argument positions kept per recorded syscall (only those some rule of the profile compares for
 * the name the call is checked as), so that DuckDB groups events by what a verdict depends on.
 */
import { X86_64_TO_AARCH64 } from "../../../schemas/arch-equivalents.ts";
import type { DockerProfile } from "../../../schemas/seccomp-profile.ts";
import type { TargetArch } from "../../../stages/seccomp/target.ts";
import { quoteString, type Db } from "../../duckdb.ts";
import type { CheckOptions } from "./types.ts";

export const POSITIONS = [0, 1, 2, 3, 4, 5] as const;

export interface CheckScope {
  /** the events table expression of the dataset */
  src: string;
  /** the image and run filter; `t` qualifies the columns in a join (`e.`) */
  whereOf: (t: string) => string;
  /** the governed phases, as a condition on `phase` */
  phaseIn: string;
}

/** The scope of checking `opts.image` (and `opts.runs`) of the events in `src`. */
export function checkScope(src: string, opts: CheckOptions): CheckScope {
  const whereOf = (t: string): string =>
    `${t}image = ${quoteString(opts.image)}` +
    (opts.runs ? ` AND ${t}run IN (${opts.runs.map(quoteString).join(", ") || "NULL"})` : "");
  return { src, whereOf, phaseIn: `phase IN (${opts.phases.map(quoteString).join(", ")})` };
}

/** Names whose rules compare arguments, and the positions compared. */
function comparedPositions(p: DockerProfile): Map<string, Set<number>> {
  const m = new Map<string, Set<number>>();
  for (const r of p.syscalls) {
    if (!r.args?.length) continue;
    for (const n of r.names) {
      const s = m.get(n) ?? new Set<number>();
      for (const a of r.args) s.add(a.index);
      m.set(n, s);
    }
  }
  return m;
}

/**
 * The table `k(syscall, k0, …, k5)` of the positions to keep per recorded name (those compared for
 * the name it is checked as on `arch`), as a SQL table expression to left-join on `k.syscall`.
 */
export async function keepTable(
  db: Db,
  scope: CheckScope,
  profile: DockerProfile,
  arch: TargetArch,
): Promise<string> {
  const compared = comparedPositions(profile);
  const recordedNames = await db.query<{ syscall: string }>(
    `SELECT DISTINCT syscall FROM ${scope.src} WHERE ${scope.whereOf("")}`,
  );
  const keep: string[] = [];
  for (const { syscall } of recordedNames) {
    const eq = arch === "aarch64" ? X86_64_TO_AARCH64[syscall] : undefined;
    const pos = new Set<number>();
    if (eq) {
      eq.args.forEach((a, i) => {
        if ("from" in a && compared.get(eq.to)?.has(i)) pos.add(a.from);
      });
    } else for (const p of compared.get(syscall) ?? []) pos.add(p);
    if (pos.size) keep.push(`(${quoteString(syscall)}, ${POSITIONS.map((p) => pos.has(p)).join(", ")})`);
  }
  return keep.length
    ? `(VALUES ${keep.join(", ")}) AS k(syscall, k0, k1, k2, k3, k4, k5)`
    : `(SELECT NULL::VARCHAR AS syscall, false AS k0, false AS k1, false AS k2, false AS k3, false AS k4, false AS k5) AS k`;
}
