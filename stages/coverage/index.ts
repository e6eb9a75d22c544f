/** The coverage stage: pure estimators on incidence data. */
export { chao2, Z95, type Chao2Estimate, type Chao2Form } from "./chao2.ts";
export { discoveryCurve, type DiscoveryPoint } from "./discovery.ts";
export { expectedNew, pNew, runsToReach, sampleCoverage, unseenQ0 } from "./extrapolation.ts";
export { iChao2 } from "./ichao2.ts";
export { frequencyCounts, incidenceOf, type Incidence } from "./incidence.ts";
export { jackknife1, jackknife2 } from "./jackknife.ts";
export { paperKFold, type KFoldCoverage } from "./paper-kfold.ts";
export { permutation, seededRandom } from "./rng.ts";
export { summarize, type CoverageSummary, type SummaryOptions } from "./summarize.ts";
export { lastDiscoveryShare, timeCurve, type TimePoint } from "./time-curve.ts";
export {
  COVERAGE_SCOPE,
  DEFAULT_THRESHOLDS,
  verdictOf,
  type Verdict,
  type VerdictThresholds,
} from "./verdict.ts";
export { perTest, type TestSaturation } from "./per-test.ts";
export { leaveOneOut, type LeaveOneOut, type LeaveOneOutSummary } from "./leave-one-out.ts";
export {
  SAMPLING_CHOICES,
  chooseSamplingUnit,
  samplesOf,
  type SamplingChoice,
  type SamplingUnit,
  type Samples,
} from "./sampling.ts";
