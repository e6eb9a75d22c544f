/**
 * A run's events files as the dataset holds them, whatever pieces they were parsed in: the run's
 * rows in order (its files in order, each file's lines in order — which the parse pass numbers
 * them by), cut every ROWS_PER_FILE rows into `part-00000.parquet`, `part-00001.parquet`, …, each
 * written from one contiguous batch. The Parquet parts the workers wrote (one per task, so one per
 * piece or group of small files) are read back and merged; `--piece-bytes` and the worker count
 * only change how the work was cut, not a byte of the dataset. A run parsed in one part of at
 * most ROWS_PER_FILE rows is already in this form (the writer gives the same bytes for the same
 * batch) and is only moved.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC, type RecordBatch } from "apache-arrow";
import * as pq from "parquet-wasm/node";
import { EVENTS_SCHEMA } from "../../schemas/events.ts";
import { quoteString, type Db } from "../duckdb.ts";
import { writeDurable } from "../dataset/durable.ts";
import type { RecordedFile } from "../dataset/record.ts";
import { toParquet } from "../parquet.ts";
import { concatBatches } from "./arrow-concat.ts";

/** Rows per events file (and row group): ~20–40 MB of Arrow data in memory while merging. */
export const ROWS_PER_FILE = 1 << 17;

const PART = /^part-(\d+)\.parquet$/;

/** The name of events file `i` of a run. */
export const partName = (i: number): string => `part-${String(i).padStart(5, "0")}.parquet`;

/** The Parquet parts the workers wrote in `dir`, in task order (none when the folder is missing). */
function rawParts(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => PART.test(n))
    .sort((a, b) => Number(PART.exec(a)![1]) - Number(PART.exec(b)![1]))
    .map((n) => join(dir, n));
}

function recorded(name: string, rows: number, bytes: Uint8Array): RecordedFile {
  return { file: name, rows, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function readBatches(file: string): RecordBatch[] {
  return tableFromIPC(pq.readParquet(readFileSync(file)).intoIPCStream()).batches;
}

/**
 * Writes the canonical events files of the run whose worker parts are in `raw` into `out` (created),
 * flushed; returns them in order.
 */
export async function canonicalRun(db: Db, raw: string, out: string): Promise<RecordedFile[]> {
  mkdirSync(out, { recursive: true });
  const parts = rawParts(raw);
  if (parts.length === 0) return [];
  if (parts.length === 1) {
    const [meta] = await db.query<{ num_rows: bigint }>(
      `SELECT num_rows FROM parquet_file_metadata(${quoteString(parts[0]!)})`,
    );
    const rows = Number(meta!.num_rows);
    if (rows <= ROWS_PER_FILE) {
      const bytes = readFileSync(parts[0]!);
      renameSync(parts[0]!, join(out, partName(0)));
      return [recorded(partName(0), rows, bytes)];
    }
  }
  const files: RecordedFile[] = [];
  let pending: RecordBatch[] = [];
  let n = 0;
  const flush = () => {
    const bytes = toParquet(concatBatches(EVENTS_SCHEMA, pending));
    const name = partName(files.length);
    writeDurable(join(out, name), bytes);
    files.push(recorded(name, n, bytes));
    pending = [];
    n = 0;
  };
  for (const part of parts) {
    for (let b of readBatches(part)) {
      while (b.numRows > 0) {
        const take = Math.min(ROWS_PER_FILE - n, b.numRows);
        pending.push(b.slice(0, take));
        n += take;
        b = b.slice(take);
        if (n === ROWS_PER_FILE) flush();
      }
    }
  }
  if (n > 0) flush();
  return files;
}
