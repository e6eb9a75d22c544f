/**
 * Writes the dataset's `runs.parquet`, `rejects.parquet` and `manifest.json` after an ingest,
 * merging with what the dataset already holds (the ingested runs replace their old rows).
 * Written through DuckDB with one thread and a total order, so the bytes are reproducible.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBValue } from "@duckdb/node-api";
import { Table, tableFromIPC } from "apache-arrow";
import packageJson from "../../package.json" with { type: "json" };
import { SCHEMA_VERSION } from "../../schemas/events.ts";
import { withDb, quoteString, type Db } from "../duckdb.ts";
import { toParquet, writeAtomic } from "../parquet.ts";
import type { CaptureInput } from "./inputs.ts";
import { partitionDir } from "./partitions.ts";
import { PIECE_BYTES } from "./plan.ts";
import type { SegmentStats } from "./tasks.ts";
import type { ImageCounts } from "../../stages/scap/image-split.ts";
import type { PhaseRule } from "../../stages/phase/boundary.ts";

export interface FileStats {
  name: string;
  bytes: number;
  storedBytes: number;
  /** sha256 of each piece of the stored file (one for whole files). */
  sha256: string[];
  replies: SegmentStats[];
}

export interface CaptureStats {
  capture: CaptureInput;
  /** what the files were read as: strace, scap, sysdig-text, sysdig-json. */
  format: string;
  files: FileStats[];
  /** rejects of the run, as Arrow IPC streams from the workers. */
  rejectsIpc: Uint8Array[];
  /**
   * Runs split off a host capture by container image: their rows and the event blocks that made
   * them. The counts of `files` include them; the capture's own row gets the rest.
   */
  images: ReadonlyMap<string, ImageCounts>;
  /** the rule that placed the run's phase boundary (stages/phase/boundary.ts). */
  phaseRule: PhaseRule;
}

/** One file's content hash: sha256 of the file, or of the piece hashes when it was cut. */
export function fileHash(f: FileStats): string {
  if (f.sha256.length === 1) return f.sha256[0]!;
  return "pieces:" + createHash("sha256").update(f.sha256.join("\n")).digest("hex");
}

const RUNS_DDL = `CREATE TABLE new_runs (
  image VARCHAR, run VARCHAR, source VARCHAR, format VARCHAR, files BIGINT, bytes BIGINT,
  lines_read BIGINT, events BIGINT, event_lines BIGINT, rejected BIGINT, skipped BIGINT,
  skipped_by_kind VARCHAR, unfinished_never_resumed BIGINT, labels VARCHAR, file_hashes VARCHAR,
  phase_rule VARCHAR, spliced_calls BIGINT, unnamed_calls BIGINT)`;

const REJECTS_DDL = `CREATE TABLE all_rejects (
  image VARCHAR, run VARCHAR, file VARCHAR, line BIGINT, "offset" BIGINT, reason VARCHAR, raw VARCHAR,
  raw_bytes BIGINT)`;

function sumReplies(c: CaptureStats, f: (r: SegmentStats) => number): number {
  return c.files.reduce((n, file) => n + file.replies.reduce((m, r) => m + f(r), 0), 0);
}

async function copyOut(db: Db, select: string, file: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await db.exec(`COPY (${select}) TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  renameSync(tmp, file);
}

/** The `runs` row of a capture's own run (without what went to split-off runs), accounting checked. */
function ownRow(c: CaptureStats): DuckDBValue[] {
  const skipped: Record<string, number> = {};
  for (const f of c.files)
    for (const r of f.replies)
      for (const [k, v] of Object.entries(r.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
  const sortedSkipped = Object.fromEntries(Object.entries(skipped).sort(([a], [b]) => a.localeCompare(b)));
  const moved = (f: (x: ImageCounts) => number) => [...c.images.values()].reduce((n, x) => n + f(x), 0);
  const lines = sumReplies(c, (r) => r.lines) - moved((x) => x.eventLines);
  const eventLines = sumReplies(c, (r) => r.eventLines) - moved((x) => x.eventLines);
  const rejected = sumReplies(c, (r) => r.rejected);
  const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
  if (lines !== eventLines + rejected + skippedTotal) {
    throw new Error(
      `internal: ${c.capture.source}: ${lines} lines read but ${eventLines}+${rejected}+${skippedTotal} accounted`,
    );
  }
  return [
    c.capture.image,
    c.capture.run,
    c.capture.source,
    c.format,
    BigInt(c.files.length),
    BigInt(c.files.reduce((n, f) => n + f.bytes, 0)),
    BigInt(lines),
    BigInt(sumReplies(c, (r) => r.events) - moved((x) => x.events)),
    BigInt(eventLines),
    BigInt(rejected),
    BigInt(skippedTotal),
    JSON.stringify(sortedSkipped),
    BigInt(sumReplies(c, (r) => r.unfinishedNeverResumed) - moved((x) => x.unfinishedNeverResumed)),
    JSON.stringify(c.capture.labels),
    JSON.stringify(Object.fromEntries(c.files.map((f) => [f.name, fileHash(f)]))),
    c.phaseRule,
    BigInt(sumReplies(c, (r) => r.splicedCalls)),
    BigInt(sumReplies(c, (r) => r.unnamedCalls)),
  ];
}

/**
 * The `runs` row of a run split off capture `c` by container image: only its event blocks. Files,
 * bytes, rejects and skips stay on the capture's own row, so sums over the table count each once.
 */
function splitRow(c: CaptureStats, image: string, x: ImageCounts): DuckDBValue[] {
  return [
    image,
    c.capture.run,
    c.capture.source,
    c.format,
    0n,
    0n,
    BigInt(x.eventLines),
    BigInt(x.events),
    BigInt(x.eventLines),
    0n,
    0n,
    "{}",
    BigInt(x.unfinishedNeverResumed),
    JSON.stringify(c.capture.labels),
    "{}",
    c.phaseRule,
    0n,
    0n,
  ];
}

/** Table `agg`: per ingested run with events, its first and last timestamp, tasks and syscalls. */
async function aggregateEvents(db: Db, out: string, stats: CaptureStats[]): Promise<void> {
  const parts = stats.flatMap((c) =>
    [c.capture.image, ...c.images.keys()].map(
      (image) => partitionDir(out, { image, run: c.capture.run }) + "/*.parquet",
    ),
  );
  const existingParts = parts.filter((p) => existsSync(p.slice(0, -"/*.parquet".length)));
  await db.exec(
    `CREATE TABLE agg (image VARCHAR, run VARCHAR, ts_first_ns BIGINT, ts_last_ns BIGINT, tasks BIGINT, syscalls BIGINT)`,
  );
  const withFiles = [];
  for (const p of existingParts) {
    const dir = p.slice(0, -"/*.parquet".length);
    if (readdirSync(dir).some((f) => f.endsWith(".parquet"))) withFiles.push(p);
  }
  if (withFiles.length > 0) {
    const list = `[${withFiles.map(quoteString).join(", ")}]`;
    await db.exec(
      `INSERT INTO agg SELECT image, run, min(ts_ns), max(ts_ns), count(DISTINCT tid), count(DISTINCT syscall)
       FROM read_parquet(${list}, hive_partitioning = true) GROUP BY image, run`,
    );
  }
}

async function writeRuns(
  db: Db,
  out: string,
  stats: CaptureStats[],
  stale: readonly { image: string; run: string }[],
): Promise<void> {
  await db.exec(RUNS_DDL);
  await db.exec(`CREATE TABLE stale_runs (image VARCHAR, run VARCHAR)`);
  for (const x of stale) await db.exec(`INSERT INTO stale_runs VALUES ($1, $2)`, [x.image, x.run]);
  const insert = `INSERT INTO new_runs VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)`;
  for (const c of stats) {
    await db.exec(insert, ownRow(c));
    for (const [image, x] of c.images) await db.exec(insert, splitRow(c, image, x));
  }
  await aggregateEvents(db, out, stats);
  const file = join(out, "runs.parquet");
  const old = existsSync(file)
    ? `SELECT * FROM read_parquet(${quoteString(file)}) WHERE (image, run) NOT IN (SELECT (image, run) FROM new_runs)
         AND (image, run) NOT IN (SELECT (image, run) FROM stale_runs) UNION ALL BY NAME `
    : "";
  // by name: a dataset written before a column was added gets NULL there
  await copyOut(
    db,
    `SELECT COLUMNS(*) FROM (${old}SELECT n.*, a.ts_first_ns, a.ts_last_ns, coalesce(a.tasks, 0) AS tasks,
       coalesce(a.syscalls, 0) AS syscalls FROM new_runs n LEFT JOIN agg a USING (image, run))
     ORDER BY image, run`,
    file,
  );
}

async function writeRejects(db: Db, out: string, stats: CaptureStats[]): Promise<void> {
  await db.exec(REJECTS_DDL);
  const tables = stats.flatMap((c) => c.rejectsIpc.map((ipc) => tableFromIPC(ipc)));
  const rows = tables.reduce((n, t) => n + t.numRows, 0);
  const tmp = join(out, `.rejects-new.${process.pid}.parquet`);
  try {
    if (rows > 0) {
      writeAtomic(tmp, toParquet(new Table(tables.flatMap((t) => t.batches))));
      await db.exec(`INSERT INTO all_rejects SELECT * FROM read_parquet(${quoteString(tmp)})`);
    }
    const file = join(out, "rejects.parquet");
    if (existsSync(file)) {
      await db.exec(
        `INSERT INTO all_rejects SELECT * FROM read_parquet(${quoteString(file)})
         WHERE (image, run) NOT IN (SELECT (image, run) FROM new_runs)`,
      );
    }
    await copyOut(db, `SELECT * FROM all_rejects ORDER BY image, run, file, line, "offset"`, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

interface ManifestInput {
  image: string;
  run: string;
  source: string;
  format: string;
  labels: Record<string, string>;
  files: { name: string; bytes: number; sha256: string }[];
  /** images the capture's container rows were split into (runs of the same id). */
  split_images?: string[];
}

function writeManifest(out: string, stats: CaptureStats[]): void {
  const file = join(out, "manifest.json");
  const prev: ManifestInput[] = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")).inputs ?? []) : [];
  const fresh: ManifestInput[] = stats.map((c) => ({
    image: c.capture.image,
    run: c.capture.run,
    source: c.capture.source,
    format: c.format,
    labels: c.capture.labels,
    files: c.files.map((f) => ({ name: f.name, bytes: f.storedBytes, sha256: fileHash(f) })),
    ...(c.images.size > 0 ? { split_images: [...c.images.keys()] } : {}),
  }));
  const keys = new Set(fresh.map((i) => `${i.image}\u0000${i.run}`));
  const inputs = [...prev.filter((i) => !keys.has(`${i.image}\u0000${i.run}`)), ...fresh].sort(
    (a, b) => a.image.localeCompare(b.image) || a.run.localeCompare(b.run),
  );
  const pkg = packageJson as {
    version: string;
  };
  const manifest = {
    schema_version: SCHEMA_VERSION,
    tool: { name: "sandmine", version: pkg.version },
    tables: {
      events: "events/image=*/run=*/*.parquet",
      runs: "runs.parquet",
      rejects: "rejects.parquet",
    },
    parameters: { piece_bytes: PIECE_BYTES },
    inputs,
  };
  writeAtomic(file, JSON.stringify(manifest, null, 2) + "\n");
}

/** Writes runs, rejects and the manifest for the runs just ingested. */
export async function writeTables(
  out: string,
  stats: CaptureStats[],
  stale: readonly { image: string; run: string }[] = [],
): Promise<void> {
  await withDb(async (db) => {
    await writeRuns(db, out, stats, stale);
    await writeRejects(db, out, stats);
  }, 1);
  writeManifest(out, stats);
}
