/** The coverage stage: pure estimators on incidence data. */
export { chao2, Z95, type Chao2Estimate, type Chao2Form } from "./chao2.ts";
export { discoveryCurve, discoveryCurveOf } from "./discovery.ts";
export { expectedNew, pNew, runsToReach, sampleCoverage, unseenQ0 } from "./extrapolation.ts";
export { iChao2 } from "./ichao2.ts";
export { frequencyCounts, incidenceOf, incidenceOfSets, type Incidence } from "./incidence.ts";
export { jackknife1, jackknife2 } from "./jackknife.ts";
export { paperKFold } from "./paper-kfold.ts";
export { permutation, seededRandom } from "./rng.ts";
export { summarize, summarizeSets, type SummaryOptions } from "./summarize.ts";
export { lastDiscoveryShare, timeCurve } from "./time-curve.ts";
export { COVERAGE_SCOPE, DEFAULT_THRESHOLDS, verdictOf } from "./verdict.ts";
export { perTest } from "./per-test.ts";
export { leaveOneOut, leaveOneOutOf } from "./leave-one-out.ts";
export { incidenceCounts, unitSets, type UnitSets } from "./unit-sets.ts";
export { SAMPLING_CHOICES, chooseSamplingUnit, samplesOf, type Samples } from "./sampling.ts";
export type {
  CoverageSummary,
  DiscoveryPoint,
  KFoldCoverage,
  LeaveOneOut,
  LeaveOneOutSummary,
  SamplingChoice,
  SamplingUnit,
  TestSaturation,
  TimePoint,
  Verdict,
  VerdictThresholds,
} from "../../schemas/coverage.ts";
