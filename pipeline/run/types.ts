/**
 * What `sandmine run` works with: a loaded study (entries resolved against the study file), a
 * stage as the plan declares it, the record a published stage leaves, and the states `--status`
 * reports.
 */
import type { StudyCoverage, StudyMode, StudyPart } from "../../schemas/study.ts";
import type { LoadedExperiment } from "../host/experiment-file.ts";

/** One entry of the study, its paths resolved. */
export interface ResolvedEntry {
  /** image name in the dataset and prefix of the entry's stages */
  name: string;
  /** the experiment (its name replaced by the entry's), when the entry is recorded */
  experiment?: LoadedExperiment;
  /** the captures folder or manifest (absolute), when the entry is not recorded */
  captures?: string;
  /** the captures path as the study file gives it (kept in the dataset as each run's source) */
  capturesGiven?: string;
  runs?: number;
  modes: StudyMode[];
  parts: StudyPart[];
  backend: "docker" | "runc";
  /** each validate part its own stage, or all in one */
  validateStages: "per-part" | "one";
}

export interface LoadedStudy {
  file: string;
  /** folder of the study file: relative paths in it are resolved from here */
  base: string;
  name: string;
  description?: string;
  entries: ResolvedEntry[];
  coverage: Required<StudyCoverage>;
  report: boolean;
  /** the stages' outputs and records */
  cache: string;
  /** the results folder */
  out: string;
}

/** What a stage's body gets when it runs. */
export interface StageContext {
  /** the folder the stage writes its outputs into (renamed to its published folder afterwards) */
  dir: string;
  /** the published folder of an upstream stage (one of its deps) */
  dep(id: string): string;
  /** the record of an upstream stage */
  record(id: string): StageRecord;
  workers: number;
  log: (s: string) => void;
}

/** A stage as the plan declares it. */
export interface StageDef {
  id: string;
  /** upstream stages whose outputs it reads (they run first) */
  deps: string[];
  /** the stage's own options and the parts of the experiment it reads (JSON) */
  params: unknown;
  /** files outside the cache it reads (their sha256 are part of the key) */
  files: () => string[];
  /** entry module of its code (the closure of its relative imports is the code version) */
  code: string;
  /** findings that are results, not errors (a denied event, a regression): shown in the summary */
  findings?: (dir: string) => string[];
  run(ctx: StageContext): Promise<void>;
}

/** The parts of a stage's key, each a sha256. */
export interface KeyParts {
  /** per upstream stage id: its output hash; per input file (relative name): its sha256 */
  inputs: Record<string, string>;
  params: string;
  code: string;
  /** the code files and package versions the code hash covers (to say which changed) */
  codeFiles: Record<string, string>;
  /** the parameters (to say which changed) */
  paramsValue: unknown;
}

/** What a published stage leaves beside its folder (`stages/ID.json`), written last. */
export interface StageRecord {
  format: "sandmine-stage/1";
  id: string;
  key: string;
  parts: KeyParts;
  /** sha256 over the output files' paths and contents */
  output: string;
  files: { path: string; bytes: number; sha256: string }[];
  /** wall seconds the stage took (not part of anything compared) */
  seconds: number;
}

export type StageState = "fresh" | "stale" | "missing";

export interface StageStatus {
  id: string;
  state: StageState;
  /** why stale or missing */
  reason: string;
}

export interface RunResult {
  study: string;
  cache: string;
  out: string;
  /** stages run in this invocation, in order */
  ran: string[];
  /** stages found fresh and reused */
  reused: string[];
  /** stages that failed (with the error), and those not run because an upstream failed */
  failed: { id: string; error: string }[];
  skipped: string[];
  findings: { id: string; finding: string }[];
  seconds: number;
}
