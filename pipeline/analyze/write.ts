/**
 * Writing analysis results: Parquet through DuckDB COPY into a temp folder, then published with
 * `writeAtomic` (temp file and rename), and JSON with `writeAtomic` directly.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quoteString, type Db } from "../duckdb.ts";
import { writeAtomic } from "../parquet.ts";

/** Writes the rows of `sql` to `file` as Parquet (zstd), atomically. */
export async function writeQueryParquet(db: Db, sql: string, file: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sandmine-copy-"));
  try {
    const tmp = join(dir, "out.parquet");
    await db.exec(`COPY (${sql}) TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    writeAtomic(file, readFileSync(tmp));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** JSON with bigint turned into numbers (counts here are far below 2^53). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v), indent);
}

/** Writes rows given as JSON objects to `file` as Parquet, via DuckDB's read_json. */
export async function writeRowsParquet(db: Db, rows: readonly object[], file: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sandmine-json-"));
  try {
    const json = join(dir, "rows.json");
    writeAtomic(json, toJson(rows));
    await writeQueryParquet(db, `SELECT * FROM read_json_auto(${quoteString(json)})`, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The results folder of one image under `DATASET/<stage>/image=<name>/`. */
export function resultDir(dataset: string, stage: string, image: string): string {
  return join(dataset, stage, `image=${image}`);
}
