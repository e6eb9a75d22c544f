/**
 * What the notebooks and the HTML report show about one dataset: one JSON-able object, built in
 * pipeline/report/ from the dataset's tables and the characterize and coverage results, so both
 * views draw the same numbers. The shapes are the subsets of those results they use, picked from
 * the result types in schemas/ (a field changes there, or not at all).
 */
import type { ImageCharacterization, ArgRow, SyscallRow } from "../../schemas/characterize.ts";
import type { DiscoveryPoint, LevelCoverage, VerdictThresholds } from "../../schemas/coverage.ts";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import type { ReachSummary } from "../reach/summary.ts";

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

/** `o` with only `fields`, in their order (the views below are such picks of the results). */
export function pickFields<T, K extends keyof T>(o: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.map((f) => [f, o[f]])) as Pick<T, K>;
}

export const SYSCALL_VIEW_FIELDS = [
  "syscall",
  "calls",
  "share",
  "runs",
  "phases",
  "processes",
] as const satisfies readonly (keyof SyscallRow)[];
export type SyscallView = Pick<SyscallRow, (typeof SYSCALL_VIEW_FIELDS)[number]>;

export const ARG_VIEW_FIELDS = [
  "syscall",
  "pos",
  "name",
  "model",
  "calls",
  "distinct_values",
  "top_values",
] as const satisfies readonly (keyof ArgRow)[];
export type ArgView = Pick<ArgRow, (typeof ARG_VIEW_FIELDS)[number]>;

/** Calls of one syscall in one phase. */
export interface PhaseCell {
  syscall: string;
  phase: string;
  calls: number;
}

export type CurvePoint = DiscoveryPoint;

export const LEVEL_VIEW_FIELDS = [
  "runs",
  "observed",
  "q1",
  "q2",
  "chao2",
  "chao2_lower",
  "chao2_upper",
  "jack1",
  "p_new",
  "expected_new",
  "runs_to_95",
  "verdict",
  "reason",
  "curve",
] as const satisfies readonly (keyof LevelCoverage)[];
/** Coverage of one image at one level (syscall types, or argument rules). */
export type LevelView = Pick<LevelCoverage, (typeof LEVEL_VIEW_FIELDS)[number]>;

export const RULE_VIEW_FIELDS = [
  "type_rules",
  "type_arg_rules",
  "type_rules_all_phases",
] as const satisfies readonly (keyof ImageCharacterization["rules"])[];

export interface ImageView extends Pick<ImageCharacterization, "image" | "runs" | "events"> {
  rules: Pick<ImageCharacterization["rules"], (typeof RULE_VIEW_FIELDS)[number]>;
  syscalls: SyscallView[];
  args: ArgView[];
  phases: PhaseCell[];
  coverage: { type: LevelView; arg: LevelView };
  /** the mined set beside the statically reachable one, when `characterize --rootfs` left it */
  reach?: ReachSummary;
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
  thresholds: VerdictThresholds;
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
