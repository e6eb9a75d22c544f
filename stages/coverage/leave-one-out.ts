/**
 * Leave-one-run-out: for each run, estimate from the other runs, then count what the left-out run
 * really adds. A track record for the estimates on the very data they are used on: per left-out
 * run the prediction (`expected_new`, `p_new`, from the others' `q1`, `q2`) beside the outcome
 * (`added`); over all runs the mean predicted P(new) beside the share of left-out runs that added
 * something, and the mean predicted E[new] beside the mean added. (The left-out runs add exactly
 * the all-runs singletons, so `mean_added` is Q1/m of all runs; `share_adding` is the share of runs
 * holding at least one singleton.)
 */
import { chao2 } from "./chao2.ts";
import { expectedNew, pNew } from "./extrapolation.ts";
import { frequencyCounts, qk } from "./incidence.ts";
import { incidenceCounts, unitSets, type UnitSets } from "./unit-sets.ts";
import type { LeaveOneOut, LeaveOneOutSummary } from "../../schemas/coverage.ts";

/**
 * `runs[i]` lists the unit keys of the run named `names[i]`. The incidence of the other runs is
 * the total incidence minus run i's units (integer ids, one pass per run, not a rebuild).
 */
export function leaveOneOut(
  names: readonly string[],
  runs: readonly (readonly string[])[],
): LeaveOneOutSummary {
  return leaveOneOutOf(names, unitSets(runs));
}

/** `leaveOneOut` on units as ids (unit-sets.ts). */
export function leaveOneOutOf(names: readonly string[], u: UnitSets): LeaveOneOutSummary {
  const { n, sets } = u;
  const total = incidenceCounts(u);
  const inRun = new Uint8Array(n);
  const rows = sets.map((units, i) => {
    for (const u of units) inRun[u] = 1;
    const counts: number[] = [];
    for (let u = 0; u < n; u++) {
      const c = total[u]! - inRun[u]!;
      if (c > 0) counts.push(c);
    }
    const added = units.filter((u) => total[u] === 1).length;
    for (const u of units) inRun[u] = 0;
    const inc = { m: sets.length - 1, counts };
    const q = frequencyCounts(inc);
    return {
      run: names[i]!,
      observed: counts.length,
      q1: qk(q, 1),
      q2: qk(q, 2),
      chao2: chao2(inc).estimate,
      expected_new: expectedNew(inc),
      p_new: pNew(inc),
      added,
    };
  });
  const mean = (f: (r: LeaveOneOut) => number): number =>
    rows.length === 0 ? 0 : rows.reduce((n, r) => n + f(r), 0) / rows.length;
  return {
    rows,
    mean_expected_new: mean((r) => r.expected_new),
    mean_added: mean((r) => r.added),
    mean_p_new: mean((r) => r.p_new),
    share_adding: mean((r) => (r.added > 0 ? 1 : 0)),
  };
}
