/**
 * The saturation verdict: `saturated` when enough runs were recorded and the next run is unlikely
 * to reveal anything new, with the reason in words.
 */

/** User thresholds; defaults: P(new unit in next run) < 5% and at least 5 runs. */
export interface VerdictThresholds {
  maxPNew: number;
  minRuns: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = { maxPNew: 0.05, minRuns: 5 };

/** The verdict and why. */
export interface Verdict {
  verdict: "saturated" | "not saturated";
  reason: string;
}

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
  if (pNew >= t.maxPNew) {
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
