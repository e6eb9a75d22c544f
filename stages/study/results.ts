/**
 * What the comparison reads of a study's results (the `results` folder `sandmine run` writes,
 * docs/commands.md "run"): per entry the characterization, the coverage, each mode's profile
 * report, the validation report(s) and each run's first and last event time. Loaded by
 * pipeline/study/results.ts; plain data, so the comparison is a pure function of it.
 */
import type { ImageCharacterization } from "../../schemas/characterize.ts";
import type { ImageCoverage } from "../../schemas/coverage.ts";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";

export interface RunSpan {
  run: string;
  /** first and last event of the run, ns since the epoch. */
  firstNs: number;
  lastNs: number;
}

export interface EntryResults {
  name: string;
  characterize: ImageCharacterization | null;
  coverage: ImageCoverage | null;
  /** mode (none, safe, learned) → the synthesize report. */
  profiles: Record<string, ProfileReport>;
  /** the validation reports of the entry (one per part, or one for all parts), merged by the reader. */
  validation: ValidationReport[];
  runs: RunSpan[];
}

export interface StudyResults {
  /** the study's name (its results folder). */
  name: string;
  /** a label the README prints beside the tables (e.g. "reduced: 2 images × 2 runs"). */
  scope: string;
  entries: EntryResults[];
}
