/**
 * A run's events files as the dataset holds them, whatever pieces they were read in: one file per
 * canonical unit (units.ts: the tasks a PIECE_BYTES cut makes — each canonical piece of a large
 * file, or a group of small files), `part-00000.parquet`, `part-00001.parquet`, … numbered in the
 * capture's order. A worker writes one part per task (`part-CANON-SUB.parquet`); a canonical unit
 * read in one task (always, with the default piece size) is only renamed, one read in several
 * (a smaller `--piece-bytes`) is merged: its parts' rows concatenated in order and written from
 * one batch, which gives the bytes the single task would have written (the Parquet writer's
 * output depends on the batches it is given, so never on how the rows were split). A unit whose
 * rows all went to other images has no file.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import * as pq from "parquet-wasm/node";
import { EVENTS_SCHEMA } from "../../schemas/events.ts";
import { quoteString, type Db } from "../duckdb.ts";
import { writeDurable } from "../dataset/durable.ts";
import type { RecordedFile } from "../dataset/record.ts";
import { toParquet } from "../parquet.ts";
import { concatBatches } from "./arrow-concat.ts";

const RAW = /^part-(\d+)-(\d+)\.parquet$/;

/** The name of the part a worker writes for task `sub` of canonical unit `canon`. */
export const rawPartName = (canon: number, sub: number): string =>
  `part-${String(canon).padStart(5, "0")}-${String(sub).padStart(5, "0")}.parquet`;

/** The name of the dataset's events file of canonical unit `canon`. */
export const partName = (canon: number): string => `part-${String(canon).padStart(5, "0")}.parquet`;

/** The workers' parts in `raw`, by canonical unit (ascending), each unit's in task order. */
function rawParts(raw: string): [number, string[]][] {
  let names: string[];
  try {
    names = readdirSync(raw);
  } catch {
    return [];
  }
  const byCanon = new Map<number, [number, string][]>();
  for (const n of names) {
    const m = RAW.exec(n);
    if (!m) continue;
    const canon = Number(m[1]);
    if (!byCanon.has(canon)) byCanon.set(canon, []);
    byCanon.get(canon)!.push([Number(m[2]), join(raw, n)]);
  }
  return [...byCanon.entries()]
    .sort(([a], [b]) => a - b)
    .map(([canon, subs]) => [canon, subs.sort(([a], [b]) => a - b).map(([, p]) => p)]);
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/**
 * Writes the canonical events files of the run whose worker parts are in `raw` into `out`
 * (created), flushed; returns them in order with their rows, sizes and hashes.
 */
export async function canonicalRun(db: Db, raw: string, out: string): Promise<RecordedFile[]> {
  mkdirSync(out, { recursive: true });
  const files: RecordedFile[] = [];
  const moved: string[] = [];
  for (const [canon, subs] of rawParts(raw)) {
    const name = partName(canon);
    const dest = join(out, name);
    if (subs.length === 1) {
      renameSync(subs[0]!, dest);
      moved.push(dest);
      const bytes = readFileSync(dest);
      files.push({ file: name, rows: -1, bytes: bytes.length, sha256: sha256(bytes) });
      continue;
    }
    const batches = subs.flatMap(
      (p) => tableFromIPC(pq.readParquet(readFileSync(p)).intoIPCStream()).batches,
    );
    const batch = concatBatches(EVENTS_SCHEMA, batches);
    const bytes = toParquet(batch);
    writeDurable(dest, bytes);
    files.push({ file: name, rows: batch.numRows, bytes: bytes.length, sha256: sha256(bytes) });
  }
  if (moved.length > 0) {
    // the rows of the files moved as they were, from their Parquet footers
    const list = `[${moved.map(quoteString).join(", ")}]`;
    const rows = await db.query<{ file_name: string; num_rows: bigint }>(
      `SELECT file_name, num_rows FROM parquet_file_metadata(${list})`,
    );
    const byPath = new Map(rows.map((r) => [r.file_name, Number(r.num_rows)]));
    for (const f of files) if (f.rows < 0) f.rows = byPath.get(join(out, f.file))!;
  }
  return files;
}
