/**
 * Everything the coverage stage reports for one image at one level (syscall types, or argument
 * rules), from the units each run saw and the event count of each unit.
 */
import { chao2 } from "./chao2.ts";
import { discoveryCurveOf } from "./discovery.ts";
import { expectedNew, pNew, runsToReach, sampleCoverage } from "./extrapolation.ts";
import { iChao2 } from "./ichao2.ts";
import { frequencyCounts, incidenceOfSets, qk } from "./incidence.ts";
import { jackknife1, jackknife2 } from "./jackknife.ts";
import { paperKFold } from "./paper-kfold.ts";
import { DEFAULT_THRESHOLDS, verdictOf } from "./verdict.ts";
import { unitSets, type UnitSets } from "./unit-sets.ts";
import type { CoverageSummary, VerdictThresholds } from "../../schemas/coverage.ts";

/** Options of one summary. */
export interface SummaryOptions {
  thresholds?: VerdictThresholds;
  /** random run orders for the discovery curve */
  orders?: number;
  seed?: number;
  /** what a sampling unit is, for the verdict's reason (default `run`) */
  noun?: string;
}

/**
 * `runs[i]`: unit keys run i saw; `eventCounts`: events per unit over all runs (for the paper's
 * event-level 10-fold figure).
 */
export function summarize(
  runs: readonly (readonly string[])[],
  eventCounts: ReadonlyMap<string, number>,
  opts: SummaryOptions = {},
): CoverageSummary {
  return summarizeSets(unitSets(runs), eventCounts, opts);
}

/** `summarize` on units as ids (unit-sets.ts): `eventCounts` still by unit key. */
export function summarizeSets(
  units: UnitSets,
  eventCounts: ReadonlyMap<string, number>,
  opts: SummaryOptions = {},
): CoverageSummary {
  const inc = incidenceOfSets(units);
  const q = frequencyCounts(inc);
  const c = chao2(inc);
  const p = pNew(inc);
  const v = verdictOf(inc.m, p, opts.thresholds ?? DEFAULT_THRESHOLDS, opts.noun);
  const keys = [...eventCounts.keys()].sort();
  return {
    runs: inc.m,
    observed: c.observed,
    q1: qk(q, 1),
    q2: qk(q, 2),
    chao2: c.estimate,
    chao2_sd: Math.sqrt(c.variance),
    chao2_lower: c.lower,
    chao2_upper: c.upper,
    ichao2: iChao2(inc),
    jack1: jackknife1(inc),
    jack2: jackknife2(inc),
    completeness: c.estimate > 0 ? c.observed / c.estimate : 1,
    sample_coverage: sampleCoverage(inc),
    expected_new: expectedNew(inc, 1),
    p_new: p,
    runs_to_95: runsToReach(inc, 0.95),
    runs_to_99: runsToReach(inc, 0.99),
    paper_kfold: paperKFold(
      keys.map((k) => eventCounts.get(k)!),
      10,
      opts.seed ?? 1,
    ),
    verdict: v.verdict,
    reason: v.reason,
    curve: discoveryCurveOf(units, opts.orders ?? 200, opts.seed ?? 1),
  };
}
