/**
 * A run's commit record, `events/image=I/run=R/_commit.json`: everything the dataset's tables say
 * about the run (its `runs` row, its manifest entry, its rejects file) and what its folder must
 * hold (each events file with its rows, size and sha256). It is written inside the staged run
 * folder, so the rename that publishes the folder publishes the record with it: one step.
 *
 * Records hold no time, host or process id: the same capture ingested twice gives the same bytes,
 * and so do the tables rebuilt from them.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunRow } from "../../schemas/runs.ts";

export const RECORD_FORMAT = "sandmine-commit/1";
/** The record's file name in a run folder (a leading `_`: not data, as Hive and Spark read it). */
export const COMMIT_FILE = "_commit.json";
/** The run's rejects (Arrow IPC file of the rejects schema) in its folder, when it has any. */
export const REJECTS_FILE = "_rejects.arrow";
/**
 * The run's raw signature groups (Parquet; stages/characterize/sql.ts `runGroupsSelect`), which
 * characterize and coverage read instead of the events. Not named `.parquet`, so that the events
 * glob `events/*\/*\/*.parquet` does not read it as events.
 */
export const SIGNATURES_FILE = "_signatures.pq";

/** A file of the run's folder as the record lists it. */
export interface RecordedFile {
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** One capture as manifest.json lists it (the capture's own run holds it). */
export interface ManifestInput {
  image: string;
  run: string;
  source: string;
  format: string;
  labels: Record<string, string>;
  files: { name: string; bytes: number; sha256: string }[];
  /** images the capture's container rows were split into (runs of the same id). */
  split_images?: string[];
}

export interface CommitRecord {
  format: typeof RECORD_FORMAT;
  image: string;
  run: string;
  /** content key of the capture the run came from (files, parameters, tool version). */
  key: string;
  /** image of that capture's own run: `image` itself, or the run it was split off. */
  capture_image: string;
  /** the events files, in row order. */
  events: RecordedFile[];
  rejects: RecordedFile | null;
  /** the run's raw signature groups (SIGNATURES_FILE); absent in records of older versions. */
  signatures?: RecordedFile | null;
  row: RunRow;
  /** the capture's manifest entry (its own run only). */
  input: ManifestInput | null;
}

/** The record as written: canonical JSON (fixed key order, one trailing newline). */
export function recordText(r: CommitRecord): string {
  return JSON.stringify(r, null, 1) + "\n";
}

/** A record's id: the sha256 of its bytes. */
export function recordId(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The record of run folder `dir` with its id, or null when it has none (or an unreadable one). */
export function readRecord(dir: string): { record: CommitRecord; id: string } | null {
  let text: string;
  try {
    text = readFileSync(join(dir, COMMIT_FILE), "utf8");
  } catch {
    return null;
  }
  try {
    const record = JSON.parse(text) as CommitRecord;
    if (record.format !== RECORD_FORMAT || typeof record.image !== "string" || typeof record.run !== "string")
      return null;
    return { record, id: recordId(text) };
  } catch {
    return null;
  }
}
