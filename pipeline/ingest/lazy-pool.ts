/**
 * The ingest's worker pool, started when first needed and kept from batch to batch until stopped.
 * `sandmine ingest` starts it before it loads the rest of the ingest's modules (Arrow,
 * parquet-wasm, DuckDB: ~0.3 s on the main thread), so the workers start meanwhile (~0.5 s).
 */
import { createPool } from "../pool.ts";
import type { IngestPool, ReplyMap, WorkerTask } from "./tasks.ts";

/** The ingest's worker pool, started when first needed and kept from batch to batch until stopped. */
export interface LazyPool {
  get(): IngestPool;
  /** whether the process grew past GROWTH of its RSS after the pool's first batch parsed (measured now) */
  grown(): boolean;
  stop(): Promise<void>;
}

export function lazyPool(workers: number): LazyPool {
  // from sources (tests, tsx) the worker is worker.ts; in the bundle (out/build) it is worker.mjs
  const workerFile = import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.mjs";
  let pool: IngestPool | null = null;
  let ceiling = 0;
  return {
    get: () => (pool ??= createPool<WorkerTask, ReplyMap>(new URL(workerFile, import.meta.url), workers)),
    grown() {
      const rss = process.memoryUsage.rss();
      ceiling ||= rss * GROWTH;
      return rss > ceiling;
    },
    async stop() {
      const p = pool;
      pool = null;
      ceiling = 0; // measured again after the next pool's first batch
      if (p) await p.destroy();
    },
  };
}

/**
 * When a batch's staging runs without the pool (started again for the next batch). Starting it
 * costs ~0.6 s wall, ~1 s CPU (measured: 100 captures in batches of 1, 45 s vs 3 s; a 1,000-capture
 * fleet in batches of 100 restarted each time, 39 vs 28 s CPU), so it is kept between batches of
 * small captures, until the process's RSS after a batch's parse pass has grown past GROWTH of its
 * RSS after the pool's first batch: the workers' heaps still grow from batch to batch (300 → 360 MB
 * over 10 batches with a collection each, measured), and a fresh pool starts lower.
 */
export const STOP_POOL_BYTES = 32 * 1024 * 1024;
const GROWTH = 1.1;
