/**
 * Saturation per test case: for each test label, the runs of that test case alone as sampling
 * units, and whether they saturate (the same P(new) and verdict as for the whole image). A test
 * case whose runs saturate is one whose behaviour repeats; the image-level figure, with test cases
 * as sampling units, says whether the *set* of test cases has been explored.
 */
import { expectedNew, pNew } from "./extrapolation.ts";
import { frequencyCounts, incidenceOf, qk } from "./incidence.ts";
import { DEFAULT_THRESHOLDS, verdictOf } from "./verdict.ts";
import type { TestSaturation, VerdictThresholds } from "../../schemas/coverage.ts";

/**
 * `runs` names the runs (sorted output by test, then as given), `unitsOfRun` the unit keys each
 * saw, `testOf` the test label of each labelled run; runs without a label are left out.
 */
export function perTest(
  runs: readonly string[],
  unitsOfRun: ReadonlyMap<string, readonly string[]>,
  testOf: ReadonlyMap<string, string>,
  thresholds: VerdictThresholds = DEFAULT_THRESHOLDS,
): TestSaturation[] {
  const byTest = new Map<string, (readonly string[])[]>();
  for (const run of runs) {
    const test = testOf.get(run);
    if (test === undefined) continue;
    const g = byTest.get(test) ?? [];
    g.push(unitsOfRun.get(run) ?? []);
    byTest.set(test, g);
  }
  return [...byTest.keys()].sort().map((test) => {
    const inc = incidenceOf(byTest.get(test)!);
    const q = frequencyCounts(inc);
    const p = pNew(inc);
    const v = verdictOf(inc.m, p, thresholds, "run");
    return {
      test,
      runs: inc.m,
      observed: inc.counts.length,
      q1: qk(q, 1),
      q2: qk(q, 2),
      expected_new: expectedNew(inc, 1),
      p_new: p,
      verdict: v.verdict,
      reason: v.reason,
    };
  });
}
