/**
 * What the notebooks and the HTML report show about one dataset: one JSON-able object, built in
 * pipeline/report/ from the dataset's tables and the characterize and coverage results, so both
 * views draw the same numbers. The shapes are the subsets of the pipeline's results they use.
 */
import type { ProfileReport } from "../../schemas/profile-report.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";

export const REPORT_DATA_VERSION = 1;

/** One row of runs.parquet: a run and the integrity counts of its capture. */
export interface RunRow {
  image: string;
  run: string;
  format: string;
  files: number;
  bytes: number;
  lines_read: number;
  events: number;
  event_lines: number;
  rejected: number;
  skipped: number;
  skipped_by_kind: Record<string, number>;
  unfinished_never_resumed: number;
  tasks: number;
  syscalls: number;
  /** first to last event; null when the run has no events */
  seconds: number | null;
}

/** Rejected lines of one image grouped by reason, with the first example. */
export interface RejectGroup {
  image: string;
  reason: string;
  count: number;
  file: string;
  line: number | null;
}

export interface SyscallView {
  syscall: string;
  calls: number;
  share: number;
  runs: number;
  phases: string;
  processes: string;
}

export interface ArgView {
  syscall: string;
  pos: number;
  name: string;
  model: string;
  calls: number;
  distinct_values: number;
  top_values: { value: string; calls: number }[];
}

/** Calls of one syscall in one phase. */
export interface PhaseCell {
  syscall: string;
  phase: string;
  calls: number;
}

export interface CurvePoint {
  runs: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
  expected: number;
}

/** Coverage of one image at one level (syscall types, or argument rules). */
export interface LevelView {
  runs: number;
  observed: number;
  q1: number;
  q2: number;
  chao2: number;
  chao2_lower: number;
  chao2_upper: number;
  jack1: number;
  p_new: number;
  expected_new: number;
  runs_to_95: number;
  verdict: string;
  reason: string;
  curve: CurvePoint[];
}

export interface ImageView {
  image: string;
  runs: number;
  events: number;
  rules: { type_rules: number; type_arg_rules: number; type_rules_all_phases: number };
  syscalls: SyscallView[];
  args: ArgView[];
  phases: PhaseCell[];
  coverage: { type: LevelView; arg: LevelView };
}

/** A profile report found in the dataset or experiment folder, with where it was. */
export interface ProfileView {
  file: string;
  report: ProfileReport;
}

export interface ValidationView {
  file: string;
  report: ValidationReport;
}

export interface ReportData {
  version: typeof REPORT_DATA_VERSION;
  /** the dataset folder as given */
  dataset: string;
  tool: { name: string; version: string };
  schema_version: number;
  /** inputs of the manifest (one per ingested capture) */
  captures: number;
  runs: RunRow[];
  rejects: RejectGroup[];
  images: ImageView[];
  /** the verdict thresholds coverage used */
  thresholds: { maxPNew: number; minRuns: number };
  profiles: ProfileView[];
  validations: ValidationView[];
}

/** Totals of the overview: what the dataset holds and how much of the captures became events. */
export interface Totals {
  captures: number;
  images: number;
  runs: number;
  events: number;
  lines_read: number;
  rejected: number;
  skipped: number;
  unfinished: number;
  /** event lines / lines read */
  parsed_share: number;
}

export function totals(d: ReportData): Totals {
  const sum = (f: (r: RunRow) => number) => d.runs.reduce((n, r) => n + f(r), 0);
  const lines = sum((r) => r.lines_read);
  return {
    captures: d.captures,
    images: d.images.length,
    runs: d.runs.length,
    events: sum((r) => r.events),
    lines_read: lines,
    rejected: sum((r) => r.rejected),
    skipped: sum((r) => r.skipped),
    unfinished: sum((r) => r.unfinished_never_resumed),
    parsed_share: lines > 0 ? sum((r) => r.event_lines) / lines : 1,
  };
}
