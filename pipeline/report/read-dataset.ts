/**
 * The dataset tables the overview shows, read through DuckDB: runs.parquet (one row per run with
 * its capture's integrity counts) and rejects.parquet grouped by image and reason.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RejectGroup, RunRow } from "../../stages/report/model.ts";
import { quoteString, type Db } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { resultDir } from "../analyze/write.ts";

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : Number(v ?? 0));

interface RawRun {
  image: string;
  run: string;
  format: string;
  files: bigint;
  bytes: bigint;
  lines_read: bigint;
  events: bigint;
  event_lines: bigint;
  rejected: bigint;
  skipped: bigint;
  skipped_by_kind: string;
  unfinished_never_resumed: bigint;
  tasks: bigint;
  syscalls: bigint;
  first_ns: bigint | null;
  last_ns: bigint | null;
}

/** The rows of DATASET/runs.parquet, sorted by image and run. */
export async function readRuns(db: Db, dataset: string): Promise<RunRow[]> {
  const file = join(dataset, "runs.parquet");
  if (!existsSync(file)) throw new UsageError(`${dataset}: no runs.parquet; run sandmine ingest first`);
  const rows = await db.query<RawRun>(
    `SELECT image, run, format, files, bytes, lines_read, events, event_lines, rejected, skipped,
            skipped_by_kind, unfinished_never_resumed, tasks, syscalls,
            ts_first_ns AS first_ns, ts_last_ns AS last_ns
     FROM read_parquet(${quoteString(file)}) ORDER BY image, run`,
  );
  return rows.map((r) => ({
    image: r.image,
    run: r.run,
    format: r.format,
    files: num(r.files),
    bytes: num(r.bytes),
    lines_read: num(r.lines_read),
    events: num(r.events),
    event_lines: num(r.event_lines),
    rejected: num(r.rejected),
    skipped: num(r.skipped),
    skipped_by_kind: JSON.parse(r.skipped_by_kind || "{}") as Record<string, number>,
    unfinished_never_resumed: num(r.unfinished_never_resumed),
    tasks: num(r.tasks),
    syscalls: num(r.syscalls),
    seconds: r.first_ns === null || r.last_ns === null ? null : Number(r.last_ns - r.first_ns) / 1e9,
  }));
}

/** Rejected lines per image and reason, most frequent first, with the first example's place. */
export async function readRejects(db: Db, dataset: string): Promise<RejectGroup[]> {
  const file = join(dataset, "rejects.parquet");
  if (!existsSync(file)) return [];
  const rows = await db.query<{
    image: string;
    reason: string;
    count: bigint;
    file: string;
    line: bigint | null;
  }>(
    `SELECT image, reason, count(*) AS count,
            arg_min(file, (run, file, coalesce(line, "offset"))) AS file,
            arg_min(line, (run, file, coalesce(line, "offset"))) AS line
     FROM read_parquet(${quoteString(file)}) GROUP BY image, reason ORDER BY image, count DESC, reason`,
  );
  return rows.map((r) => ({
    image: r.image,
    reason: r.reason,
    count: num(r.count),
    file: r.file,
    line: r.line === null ? null : num(r.line),
  }));
}

/** Calls per syscall and phase of one image, from characterize's syscalls_by.parquet. */
export async function readPhases(
  db: Db,
  dataset: string,
  image: string,
): Promise<{ syscall: string; phase: string; calls: number }[]> {
  const file = join(resultDir(dataset, "characterize", image), "syscalls_by.parquet");
  const rows = await db.query<{ syscall: string; phase: string; calls: bigint }>(
    `SELECT syscall, key AS phase, calls FROM read_parquet(${quoteString(file)})
     WHERE dim = 'phase' ORDER BY syscall, phase`,
  );
  return rows.map((r) => ({ syscall: r.syscall, phase: r.phase, calls: num(r.calls) }));
}
