/**
 * `--max-memory SIZE`: a budget shared by DuckDB (`memory_limit` of each instance open at once,
 * pipeline/duckdb.ts) and the ingest workers (SANDMINE_RSS_BUDGET_MB: a worker collects garbage
 * after a piece when the process is above it, pipeline/ingest/worker.ts).
 */
import { setMemoryLimit } from "./duckdb.ts";
import { UsageError } from "./errors.ts";
import { checkWorkers } from "./pool.ts";

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** The smallest budget taken: below it DuckDB cannot run the analysis queries at all. */
export const MIN_MEMORY = 64 * 1024 ** 2;

/** Reads a size: `512M`, `1.5G`, `2GiB`, `1073741824` (K, M, G are powers of 1024). */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new UsageError(`--max-memory ${text}: give a size such as 512M, 2G or 1073741824`);
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes < MIN_MEMORY) throw new UsageError(`--max-memory ${text}: at least 64M`);
  return bytes;
}

/** What a budget sets: DuckDB's limit per instance, the ingest workers' RSS budget. */
export interface MemoryPlan {
  /** images (or DuckDB instances) at once */
  concurrency: number;
  /** DuckDB's memory_limit per instance, bytes (undefined: DuckDB's default, 80% of RAM) */
  duckdbBytes?: number;
  /** the RSS above which an ingest worker collects garbage after a piece, MiB */
  rssBudgetMb?: number;
}

/**
 * The plan for `--max-memory` (undefined: no budget) and `--workers`: half the budget to DuckDB,
 * split over the instances open at once (the rest is Node's heap, Arrow buffers and the results);
 * the ingest workers collect above three quarters of it.
 */
export function memoryPlan(maxMemory: string | undefined, workers: number | undefined): MemoryPlan {
  const concurrency = checkWorkers(workers);
  if (maxMemory === undefined) return { concurrency };
  const bytes = parseSize(maxMemory);
  return {
    concurrency,
    duckdbBytes: Math.max(32 * 1024 ** 2, Math.floor(bytes / 2 / concurrency)),
    rssBudgetMb: Math.floor((bytes * 3) / 4 / 1024 ** 2),
  };
}

/** Applies the plan of `--max-memory` and `--workers` to this process; returns it. */
export function applyMaxMemory(maxMemory: string | undefined, workers: number | undefined): MemoryPlan {
  const plan = memoryPlan(maxMemory, workers);
  setMemoryLimit(plan.duckdbBytes);
  // read by each ingest worker when it starts (workers copy the environment at their creation)
  if (plan.rssBudgetMb !== undefined) process.env.SANDMINE_RSS_BUDGET_MB = String(plan.rssBudgetMb);
  return plan;
}
