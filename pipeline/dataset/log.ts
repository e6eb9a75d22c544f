/**
 * The commit log of a dataset: the records of its published run folders
 * (`events/image=*\/run=*\/_commit.json`). A run is committed exactly when its folder is there
 * with its record, so listing the folders reads the log. The tables (runs.parquet, rejects.parquet,
 * manifest.json) are views of it; `digest` names the set of records they were built from.
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { COMMIT_FILE, readRecord, type CommitRecord } from "./record.ts";

export interface LoggedRun {
  /** the run folder */
  dir: string;
  record: CommitRecord;
  /** sha256 of the record's bytes */
  id: string;
}

export interface LogSnapshot {
  /** committed runs, sorted by image then run (code unit order) */
  runs: LoggedRun[];
  /** sha256 over the runs' image, run and record id: equal snapshots, equal tables */
  digest: string;
}

/** A run folder of the dataset and whether it has a record. */
export interface RunFolder {
  dir: string;
  /** the folder names, `image=…` and `run=…` */
  imagePart: string;
  runPart: string;
}

function dirs(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR")
      return [];
    throw e;
  }
}

/** Every `events/image=*\/run=*` folder, committed or not, sorted. */
export function runFolders(dataset: string): RunFolder[] {
  const events = join(dataset, "events");
  return dirs(events)
    .filter((i) => i.startsWith("image="))
    .flatMap((imagePart) =>
      dirs(join(events, imagePart))
        .filter((r) => r.startsWith("run="))
        .map((runPart) => ({ dir: join(events, imagePart, runPart), imagePart, runPart })),
    );
}

const byRun = (a: LoggedRun, b: LoggedRun): number =>
  a.record.image < b.record.image
    ? -1
    : a.record.image > b.record.image
      ? 1
      : a.record.run < b.record.run
        ? -1
        : a.record.run > b.record.run
          ? 1
          : 0;

/** The digest of a list of committed runs. */
export function logDigest(runs: readonly LoggedRun[]): string {
  const h = createHash("sha256");
  for (const r of runs) h.update(`${r.record.image}\u0000${r.record.run}\u0000${r.id}\n`);
  return h.digest("hex");
}

/** The committed runs now (folders without a record are not committed: fsck reports them). */
export function readLog(dataset: string): LogSnapshot {
  const runs: LoggedRun[] = [];
  for (const f of runFolders(dataset)) {
    const r = readRecord(f.dir);
    if (r) runs.push({ dir: f.dir, ...r });
  }
  runs.sort(byRun);
  return { runs, digest: logDigest(runs) };
}

/** true when `dir` holds a commit record file (readable or not). */
export function hasRecordFile(dir: string): boolean {
  try {
    return readdirSync(dir).includes(COMMIT_FILE);
  } catch {
    return false;
  }
}
