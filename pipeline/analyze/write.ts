/**
 * Writing analysis results: Parquet through DuckDB COPY into a temporary file beside the target,
 * then a rename (no temp folder made, read back and copied per file: 12-15 of them per command),
 * and JSON through a temporary file and a rename too (pipeline/atomic-write.ts, by the callers).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempBeside } from "../atomic-write.ts";
import { quoteString, type Db } from "../duckdb.ts";
import { partitionValue } from "../ingest/partitions.ts";

/** Writes the rows of `sql` to `file` as Parquet (zstd), atomically. */
export async function writeQueryParquet(db: Db, sql: string, file: string): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tempBeside(file, "tmp");
  try {
    await db.exec(`COPY (${sql}) TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** One Parquet file to write: the rows of `sql` into `file`. */
export interface QueryFile {
  sql: string;
  file: string;
}

/**
 * Writes each query's rows to its file as Parquet (zstd), atomically, in one DuckDB call (the
 * COPYs as one multi-statement text): one round trip instead of one per file, so a caller that
 * starts it and does its JavaScript before awaiting it keeps both cores busy (the COPYs run on a
 * libuv thread, each chained COPY of a per-file call would have to wait for the JavaScript to yield).
 */
export async function writeQueriesParquet(db: Db, items: readonly QueryFile[]): Promise<void> {
  if (items.length === 0) return;
  const tmps = items.map((it) => {
    mkdirSync(dirname(it.file), { recursive: true });
    return tempBeside(it.file, "tmp");
  });
  try {
    await db.exec(
      items
        .map((it, i) => `COPY (${it.sql}) TO ${quoteString(tmps[i]!)} (FORMAT parquet, COMPRESSION zstd)`)
        .join(";\n"),
    );
    for (const [i, it] of items.entries()) renameSync(tmps[i]!, it.file);
  } finally {
    for (const t of tmps) rmSync(t, { force: true });
  }
}

/**
 * JSON with bigint turned into numbers (counts here are far below 2^53). Without a bigint in
 * `value` the plain JSON.stringify, which gives the same text: a replacer function costs a call per
 * value (≈10 ms per image's coverage.json of 250 kB, measured), and JSON.stringify throws on the
 * first bigint, which sends the value through the replacer.
 */
export function toJson(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v), indent);
  }
}

/** Writes rows given as JSON objects to `file` as Parquet, via DuckDB's read_json. */
export async function writeRowsParquet(db: Db, rows: readonly object[], file: string): Promise<void> {
  await writeRowFilesParquet(db, [{ rows, file }]);
}

/**
 * `writeRowsParquet` for several files in one DuckDB call (`writeQueriesParquet`): each file's rows
 * are their own JSON file, so each gets the types DuckDB infers from its own rows, as before.
 */
export async function writeRowFilesParquet(
  db: Db,
  items: readonly { rows: readonly object[]; file: string }[],
): Promise<void> {
  const jsons: string[] = [];
  try {
    const queries = items.map((it) => {
      mkdirSync(dirname(it.file), { recursive: true });
      const json = tempBeside(it.file, "json.tmp");
      jsons.push(json);
      writeFileSync(json, toJson(it.rows));
      return { sql: `SELECT * FROM read_json_auto(${quoteString(json)})`, file: it.file };
    });
    await writeQueriesParquet(db, queries);
  } finally {
    for (const j of jsons) rmSync(j, { force: true });
  }
}

/** The results folder of one image under `DATASET/<stage>/image=<name>/` (spelled as its events folder). */
export function resultDir(dataset: string, stage: string, image: string): string {
  return join(dataset, stage, `image=${partitionValue(image)}`);
}
