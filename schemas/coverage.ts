/**
 * The results of the coverage stage, declared once: what stages/coverage computes, what
 * pipeline/analyze/coverage.ts writes (DATASET/coverage/image=NAME/coverage.json, `sandmine
 * coverage --json`) and what the report's views pick from (stages/report/model.ts).
 */

/** Levels of units: syscall types, and argument rules (a type plus its argument values). */
export const LEVELS = ["type", "arg"] as const;
export type Level = (typeof LEVELS)[number];

/** What a sampling unit is: a run, or a test case (the runs with one test label, pooled). */
export type SamplingUnit = "run" | "test";
/** `--unit`: auto takes test cases when every run of the image has a test label. */
export type SamplingChoice = SamplingUnit | "auto";

/** The saturation verdict. */
export type CoverageVerdict = "saturated" | "not saturated";

/** User thresholds; defaults: P(new unit in next run) < 5% and at least 5 runs. */
export interface VerdictThresholds {
  maxPNew: number;
  minRuns: number;
}

/** The verdict and why. */
export interface Verdict {
  verdict: CoverageVerdict;
  reason: string;
}

/** One point of the curve: k runs. */
export interface DiscoveryPoint {
  runs: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
  /** exact expectation over all run orders */
  expected: number;
}

/** The 10-fold result: one share per fold and its summary (shares in 0..1). */
export interface KFoldCoverage {
  folds: number[];
  min: number;
  max: number;
  median: number;
  mean: number;
}

/** One step: `distinct` units seen by `seconds` after the run's first event. */
export interface TimePoint {
  seconds: number;
  distinct: number;
}

/** One left-out run. */
export interface LeaveOneOut {
  run: string;
  /** units seen in the other runs */
  observed: number;
  /** units seen in exactly one / two of the other runs: what the prediction rests on */
  q1: number;
  q2: number;
  chao2: number;
  expected_new: number;
  p_new: number;
  /** units of the left-out run that no other run saw */
  added: number;
}

/** Summary over all left-out runs. */
export interface LeaveOneOutSummary {
  rows: LeaveOneOut[];
  /** mean predicted new units vs mean actually added */
  mean_expected_new: number;
  mean_added: number;
  /** mean predicted P(new) vs share of runs that added at least one unit */
  mean_p_new: number;
  share_adding: number;
}

/** One test case's own runs. */
export interface TestSaturation {
  test: string;
  runs: number;
  observed: number;
  q1: number;
  q2: number;
  expected_new: number;
  p_new: number;
  verdict: CoverageVerdict;
  reason: string;
}

/** The coverage summary of one image at one level. */
export interface CoverageSummary {
  runs: number;
  observed: number;
  q1: number;
  q2: number;
  chao2: number;
  chao2_sd: number;
  chao2_lower: number;
  chao2_upper: number;
  ichao2: number;
  jack1: number;
  jack2: number;
  /** share of the Chao2 total already observed */
  completeness: number;
  /** Chao and Jost's sample coverage: estimated share of the incidence probability already seen */
  sample_coverage: number;
  expected_new: number;
  p_new: number;
  runs_to_95: number;
  runs_to_99: number;
  paper_kfold: KFoldCoverage;
  verdict: CoverageVerdict;
  reason: string;
  curve: DiscoveryPoint[];
}

/** One level's results. */
export interface LevelCoverage extends CoverageSummary {
  leave_one_out: LeaveOneOutSummary;
  /** per test label, whether that test case's own runs saturate; empty without test labels */
  per_test: TestSaturation[];
  /** distinct units against seconds since each run's first event */
  time: Record<string, TimePoint[]>;
}

/** The coverage of one image: the type level at the top (stable names), both levels below. */
export interface ImageCoverage {
  image: string;
  level: Level;
  /** what `runs` counts: runs, or test cases (runs pooled by their test label) */
  sampling_unit: SamplingUnit;
  runs: number;
  observed: number;
  chao2: number;
  chao2_lower: number;
  chao2_upper: number;
  ichao2: number;
  jack1: number;
  jack2: number;
  p_new: number;
  expected_new: number;
  runs_to_95: number;
  runs_to_99: number;
  paper_kfold_mean: number;
  verdict: CoverageVerdict;
  reason: string;
  /** what the verdict covers: the recorded workload(s), not behaviour they never exercise */
  scope: string;
  /** the type level's `per_test` */
  per_test: TestSaturation[];
  levels: Record<Level, LevelCoverage>;
}
