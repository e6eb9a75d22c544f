/**
 * Incidence data: which units (syscall types or argument rules) each sampling unit (a run) saw.
 * Every estimator in this folder works on the incidence frequency counts derived here.
 */
import { incidenceCounts, type UnitSets } from "./unit-sets.ts";

/** Incidence of units over sampling units: `runs[i]` is the set of unit keys run i saw. */
export interface Incidence {
  /** Number of sampling units (runs), m. */
  readonly m: number;
  /** For each observed unit, the number of runs that saw it (1..m). */
  readonly counts: readonly number[];
}

/** Builds the incidence counts from one key list per run (duplicates within a run count once). */
export function incidenceOf(runs: readonly (readonly string[])[]): Incidence {
  const seen = new Map<string, number>();
  for (const run of runs) {
    for (const key of new Set(run)) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return { m: runs.length, counts: [...seen.values()] };
}

/** `incidenceOf` on units as ids (unit-sets.ts): the same counts in the same order. */
export function incidenceOfSets(u: UnitSets): Incidence {
  return { m: u.sets.length, counts: Array.from(incidenceCounts(u)) };
}

/** Q_k: the number of units seen in exactly k runs (index k; Q[0] is unused and 0). */
export function frequencyCounts(inc: Incidence): number[] {
  const q = new Array<number>(inc.m + 1).fill(0);
  for (const c of inc.counts) q[c] = (q[c] ?? 0) + 1;
  return q;
}

/** Q_k with 0 for k outside the table. */
export function qk(q: readonly number[], k: number): number {
  return q[k] ?? 0;
}
