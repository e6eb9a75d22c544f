/**
 * After the parse pass, each run of the ingest is made ready to commit in the staging folder
 * (`commit/events/image=I/run=R/`): its canonical events files (canonical.ts), its rejects
 * (`_rejects.arrow`, sorted), its raw signature groups (`_signatures.pq`, signatures.ts), and last
 * its commit record, which lists them with their sizes,
 * rows and hashes and holds the run's `runs` row and (for a capture's own run) its manifest entry.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { Table, tableFromIPC, tableToIPC, type RecordBatch } from "apache-arrow";
import { REJECTS_SCHEMA } from "../../schemas/rejects.ts";
import type { PartFacts } from "../../stages/columns/part-facts.ts";
import { withDb, type Db } from "../duckdb.ts";
import { killPoint } from "../dataset/crash.ts";
import { writeDurable } from "../dataset/durable.ts";
import type { LogSnapshot } from "../dataset/log.ts";
import {
  COMMIT_FILE,
  RECORD_FORMAT,
  REJECTS_FILE,
  recordText,
  type CommitRecord,
  type RecordedFile,
} from "../dataset/record.ts";
import { concatBatches, takeRows } from "./arrow-concat.ts";
import { canonicalRun } from "./canonical.ts";
import { loadZstd } from "../zstd.ts";
import { partitionDir } from "./partitions.ts";
import type { PartInfo } from "./tasks.ts";
import { writeSignatures } from "./signatures.ts";
import { manifestInput, NO_EVENTS, ownRow, splitRow, type CaptureStats, type EventAgg } from "./tables.ts";

/** A run of the dataset. */
export interface RunId {
  image: string;
  run: string;
}

/** A run ready to commit: its staged folder and record. */
export interface StagedRun {
  dir: string;
  record: CommitRecord;
}

/** A capture ready to commit: the runs split off it (committed first), its own run, and runs to retire. */
export interface StagedCapture {
  stats: CaptureStats;
  splits: StagedRun[];
  own: StagedRun;
  /** split-off runs an earlier ingest of the capture made that this one does not (--replace). */
  stale: RunId[];
}

/**
 * DuckDB threads of the staging session (the signature groups are its one scan of the events). Two
 * halve that serial step after the parallel parse (1.02 → 0.52 s on the 4 M-line capture) and give
 * the same bytes as one: the groups are written `ORDER BY ALL` (a total order) and DuckDB's ordered
 * COPY cuts row groups by row count (checked on 12.8 k groups and on 9.1 M rows written with 1 and
 * 2 threads). Fixed, not the worker count: the dataset must not depend on `--workers`.
 */
const STAGING_THREADS = 2;

/** The run row's facts, as DuckDB would aggregate them over the run's events files. */
function aggregate(files: readonly RecordedFile[], facts: PartFacts): EventAgg {
  if (files.length === 0) return NO_EVENTS;
  return {
    ts_first_ns: facts.tsMin,
    ts_last_ns: facts.tsMax,
    tasks: facts.tids.length,
    syscalls: facts.syscalls.length,
  };
}

const cmp = (a: unknown, b: unknown): number => {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as string | bigint) < (b as string | bigint) ? -1 : 1;
};

/** The capture's rejects as one batch sorted by file, line, offset, reason and text; null if none. */
function sortedRejects(ipc: readonly Uint8Array[]): RecordBatch | null {
  const batches = ipc.flatMap((b) => tableFromIPC(b).batches).filter((b) => b.numRows > 0);
  if (batches.length === 0) return null;
  const all = concatBatches(REJECTS_SCHEMA, batches);
  const cols = ["file", "line", "offset", "reason", "raw"].map((c) => all.getChild(c)!);
  const order = Array.from({ length: all.numRows }, (_, i) => i);
  order.sort((i, j) => {
    for (const c of cols) {
      const d = cmp(c.get(i), c.get(j));
      if (d !== 0) return d;
    }
    return i - j;
  });
  return takeRows(REJECTS_SCHEMA, all, order);
}

function writeRejects(dir: string, ipc: readonly Uint8Array[]): RecordedFile | null {
  const batch = sortedRejects(ipc);
  if (batch === null) return null;
  const bytes = tableToIPC(new Table(batch), "file");
  writeDurable(join(dir, REJECTS_FILE), bytes);
  return {
    file: REJECTS_FILE,
    rows: batch.numRows,
    bytes: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

/** Stages one run: canonical events files, rejects, signature groups, record (written last). */
async function stageRun(
  db: Db,
  staging: string,
  c: CaptureStats,
  key: string,
  image: string,
  parts: ReadonlyMap<string, PartInfo>,
): Promise<StagedRun> {
  const id = { image, run: c.capture.run };
  const own = image === c.capture.image;
  const dir = partitionDir(join(staging, "commit"), id);
  const { files: events, facts } = canonicalRun(partitionDir(join(staging, "raw"), id), dir, parts);
  killPoint("merged");
  const agg = aggregate(events, facts);
  const record: CommitRecord = {
    format: RECORD_FORMAT,
    image,
    run: c.capture.run,
    key,
    capture_image: c.capture.image,
    events,
    rejects: own ? writeRejects(dir, c.rejectsIpc) : null,
    signatures: await writeSignatures(
      db,
      dir,
      events.map((f) => f.file),
    ),
    row: own ? ownRow(c, agg) : splitRow(c, image, c.images.get(image)!, agg),
    input: own ? manifestInput(c) : null,
  };
  writeDurable(join(dir, COMMIT_FILE), recordText(record));
  killPoint("recorded");
  return { dir, record };
}

/** Split-off runs of capture `c` in the log that this ingest does not make again. */
function staleSplits(log: LogSnapshot, c: CaptureStats): RunId[] {
  return log.runs
    .map((r) => r.record)
    .filter(
      (r) =>
        r.capture_image === c.capture.image &&
        r.run === c.capture.run &&
        r.image !== c.capture.image &&
        !c.images.has(r.image),
    )
    .map((r) => ({ image: r.image, run: r.run }));
}

/**
 * Stages every run of `stats` (keys: each capture's content key) in `staging`; with `log` (the
 * dataset's, for --replace; null otherwise), also finds the stale split-off runs in it.
 */
export async function stageCaptures(
  staging: string,
  stats: readonly CaptureStats[],
  keys: readonly string[],
  log: LogSnapshot | null,
  parts: ReadonlyMap<string, PartInfo>,
): Promise<StagedCapture[]> {
  await loadZstd(); // canonicalRun may merge parts into one file
  return withDb(async (db) => {
    const out: StagedCapture[] = [];
    for (const [i, c] of stats.entries()) {
      const splits: StagedRun[] = [];
      for (const image of c.images.keys())
        splits.push(await stageRun(db, staging, c, keys[i]!, image, parts));
      const own = await stageRun(db, staging, c, keys[i]!, c.capture.image, parts);
      out.push({ stats: c, splits, own, stale: log ? staleSplits(log, c) : [] });
    }
    return out;
  }, STAGING_THREADS);
}
