/**
 * A run's raw signature groups, written at ingest beside its events (`_signatures.pq` in the
 * staged run folder, listed in the commit record, so the commit rename publishes them with the
 * run): the run's events grouped on their raw columns (stages/characterize/sql.ts
 * `runGroupsSelect`), the grouping characterize and coverage would otherwise do over every event
 * at analysis time. One DuckDB pass over the run's events files, in key order, on the staging
 * session's single thread: the same events give the same bytes.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { runGroupsSelect } from "../../stages/characterize/index.ts";
import { quoteString, type Db } from "../duckdb.ts";
import { SIGNATURES_FILE, type RecordedFile } from "../dataset/record.ts";

/**
 * Writes the raw signature groups of the events files named `files` (in run folder `dir`) to
 * `dir/_signatures.pq` (through a temporary file and a rename: fsck's adoption writes into a run
 * folder that readers see); null (no file) for a run without events.
 */
export async function writeSignatures(
  db: Db,
  dir: string,
  files: readonly string[],
): Promise<RecordedFile | null> {
  if (files.length === 0) return null;
  const out = join(dir, SIGNATURES_FILE);
  const sql = runGroupsSelect(files.map((f) => join(dir, f)));
  // lz4, not zstd: every cold characterize/coverage reads all runs' groups, and DuckDB decodes
  // lz4 in ~60 % of zstd's CPU (10M-event bench: 38-48 vs 62-92 ms for 175,700 groups) for 30 %
  // more bytes (3.9 vs 3.0 MB)
  await db.exec(`COPY (${sql}) TO ${quoteString(`${out}.tmp`)} (FORMAT parquet, COMPRESSION lz4)`);
  renameSync(`${out}.tmp`, out);
  const [r] = await db.query<{ n: bigint }>(
    `SELECT count(*) AS n FROM read_parquet(${quoteString(out)}, hive_partitioning = false)`,
  );
  const bytes = readFileSync(out);
  return {
    file: SIGNATURES_FILE,
    rows: Number(r!.n),
    bytes: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}
