/**
 * A run's events files as the dataset holds them, whatever pieces they were read in: one file per
 * canonical unit (units.ts: the tasks a PIECE_BYTES cut makes — each canonical piece of a large
 * file, or a group of small files), `part-00000.parquet`, `part-00001.parquet`, … numbered in the
 * capture's order. A worker writes one part per task (`part-CANON-SUB.parquet`); a canonical unit
 * read in one task (always, with the default piece size) is only renamed, one read in several
 * (a smaller `--piece-bytes`) is merged: its parts' rows concatenated in order and written from
 * one batch, which gives the bytes the single task would have written (the Parquet writer's
 * output depends only on the rows, so never on how they were split). A unit whose
 * rows all went to other images has no file. Sizes, hashes, rows and the run row's facts come
 * from the workers (they hold the bytes and the batch), so nothing is read back here.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import * as pq from "parquet-wasm/node";
import { EVENTS_SCHEMA } from "../../schemas/events.ts";
import { mergeFacts, type PartFacts } from "../../stages/columns/part-facts.ts";
import { writeDurable } from "../dataset/durable.ts";
import type { RecordedFile } from "../dataset/record.ts";
import { eventsToParquet } from "../events-parquet.ts";
import { concatBatches } from "./arrow-concat.ts";
import type { PartInfo } from "./tasks.ts";

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

/** A run's canonical events files, and the facts of all their rows together. */
export interface CanonicalFiles {
  files: RecordedFile[];
  facts: PartFacts;
}

/** The worker's account of the part at `path`. */
function infoOf(parts: ReadonlyMap<string, PartInfo>, path: string): PartInfo {
  const p = parts.get(path);
  if (p === undefined) throw new Error(`internal: ${path} was not written by this ingest's workers`);
  return p;
}

/**
 * Writes the canonical events files of the run whose worker parts are in `raw` into `out`
 * (created), flushed; returns them in order with their rows, sizes and hashes, taken from the
 * workers' accounts `parts` (by path) for parts that are only renamed.
 */
export function canonicalRun(raw: string, out: string, parts: ReadonlyMap<string, PartInfo>): CanonicalFiles {
  mkdirSync(out, { recursive: true });
  const files: RecordedFile[] = [];
  const facts: PartFacts[] = [];
  for (const [canon, subs] of rawParts(raw)) {
    const name = partName(canon);
    const dest = join(out, name);
    const infos = subs.map((p) => infoOf(parts, p));
    facts.push(...infos);
    if (subs.length === 1) {
      renameSync(subs[0]!, dest);
      const p = infos[0]!;
      files.push({ file: name, rows: p.rows, bytes: p.bytes, sha256: p.sha256 });
      continue;
    }
    const batches = subs.flatMap(
      (p) => tableFromIPC(pq.readParquet(readFileSync(p)).intoIPCStream()).batches,
    );
    const batch = concatBatches(EVENTS_SCHEMA, batches);
    const bytes = eventsToParquet(batch);
    writeDurable(dest, bytes);
    files.push({ file: name, rows: batch.numRows, bytes: bytes.length, sha256: sha256(bytes) });
  }
  return { files, facts: mergeFacts(facts) };
}
