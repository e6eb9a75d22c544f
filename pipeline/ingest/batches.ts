/**
 * An ingest of many captures (a fleet's manifest) reads them in batches: each batch is planned,
 * scanned, parsed, staged and committed before the next is planned, so what the process holds
 * (scan replies, timelines, part lists, rejects) is one batch's, not the job's. Each run is staged
 * from its own capture's parts only, so the dataset's bytes do not depend on where the batches
 * are cut (test/fleet/batches.test.ts).
 */
import { UsageError } from "../errors.ts";
import type { CaptureInput } from "./inputs.ts";

/** How much one batch may hold: captures and their stored bytes (a batch has at least one capture). */
export interface BatchLimits {
  captures: number;
  bytes: number;
}

const MIB = 1024 ** 2;

/**
 * Without --max-memory: 100 captures or 256 MiB of capture files a batch. The fleet bench's small
 * case (100 captures, 22 MiB) is one batch; its main heap grew ~80 MiB from 100 to 1,000 captures
 * read in one pass (SANDMINE_TIMING, 67 → 132 MiB after the parse pass, measured).
 */
export const DEFAULT_BATCH: BatchLimits = { captures: 100, bytes: 256 * MIB };

/**
 * SANDMINE_INGEST_BATCH=N caps a batch at N captures (tests cut a manifest into batches of 1 to
 * show that the dataset does not change).
 */
export function batchLimits(bytes: number = DEFAULT_BATCH.bytes): BatchLimits {
  const env = process.env.SANDMINE_INGEST_BATCH;
  if (env === undefined || env === "") return { captures: DEFAULT_BATCH.captures, bytes };
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`SANDMINE_INGEST_BATCH=${env}: give a whole number ≥ 1`);
  return { captures: n, bytes };
}

/** A capture's stored bytes: the sum of its files' sizes. */
export const captureBytes = (c: CaptureInput): number => c.files.reduce((n, f) => n + f.size, 0);

/** `captures` in order, cut into batches within `limits` (a capture larger than the bytes is a batch alone). */
export function* captureBatches(
  captures: readonly CaptureInput[],
  limits: BatchLimits,
): Generator<CaptureInput[]> {
  let batch: CaptureInput[] = [];
  let bytes = 0;
  for (const c of captures) {
    const size = captureBytes(c);
    if (batch.length > 0 && (batch.length >= limits.captures || bytes + size > limits.bytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(c);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
