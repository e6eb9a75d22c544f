/**
 * The saturation verdict: `saturated` when enough runs were recorded and the next run is unlikely
 * to reveal anything new, with the reason in words, and what such a verdict covers.
 */
import type { Verdict, VerdictThresholds } from "../../schemas/coverage.ts";

/**
 * What a verdict is about (printed beside it, `scope` in the JSON, in the report): the sampling
 * units are runs of the recorded workload(s), so coverage measures how completely *they* have been
 * seen, not the image's behaviour as a whole.
 */
export const COVERAGE_SCOPE =
  "coverage measures the recorded workload(s) only: `saturated` means more runs like these are " +
  "unlikely to reveal new units; it says nothing about behaviour the workload never exercises " +
  "(other requests, options, configurations, error paths)";

export const DEFAULT_THRESHOLDS: VerdictThresholds = { maxPNew: 0.05, minRuns: 5 };

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * Decides from the number of sampling units and P(new), against `t`; `noun` names the sampling
 * unit in the reason (`run`, or `test` when test cases are the sampling units).
 */
export function verdictOf(
  runs: number,
  pNew: number,
  t: VerdictThresholds = DEFAULT_THRESHOLDS,
  noun = "run",
): Verdict {
  if (runs < t.minRuns) {
    return { verdict: "not saturated", reason: `only ${runs} ${noun}(s); at least ${t.minRuns} required` };
  }
  // `!(<)` rather than `>=`: a P(new) that is not a number is never evidence of saturation
  if (!(pNew < t.maxPNew)) {
    return {
      verdict: "not saturated",
      reason: `P(next ${noun} reveals a new unit) = ${pct(pNew)} ≥ ${pct(t.maxPNew)}`,
    };
  }
  return {
    verdict: "saturated",
    reason: `${runs} ${noun}s ≥ ${t.minRuns} and P(next ${noun} reveals a new unit) = ${pct(pNew)} < ${pct(t.maxPNew)}`,
  };
}
