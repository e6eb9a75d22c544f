/**
 * `--max-memory SIZE`: one budget for the whole process. It sets how many images an analysis stage
 * runs at once and how many ingest workers there are, DuckDB's `memory_limit` and `threads` of each
 * instance (pipeline/duckdb.ts), each pool worker's heap limit (pipeline/worker-budget.ts), and
 * SANDMINE_RSS_BUDGET_MB (an ingest worker collects garbage after a piece when the process is above
 * it, pipeline/ingest/worker.ts). A budget below what one unit of work needs is refused.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { setMemoryLimit } from "./duckdb.ts";
import { UsageError } from "./errors.ts";
import { checkWorkers, setWorkerBudget } from "./worker-budget.ts";

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

const MIB = 1024 ** 2;

/**
 * A command's resident memory before its work: Node, the bundle and DuckDB's library (measured:
 * `sandmine --help` 85 MiB, `sandmine fsck` of a 100-run dataset 143 MiB).
 */
export const PROCESS_BASE = 128 * MIB;
/**
 * What one image lane of an analysis stage needs at least: a DuckDB instance and one batch of
 * images, half of it DuckDB's memory_limit (measured: coverage failed at 32 MiB, "failed to allocate 32.0 MiB").
 */
export const ANALYSIS_LANE = 128 * MIB;
/** What one ingest worker needs at the default piece size (measured: heap ~35 MiB + Arrow buffers ~35 MiB). */
export const INGEST_WORKER = 96 * MIB;

/** What a budget is for: images analysed at once, or ingest workers. */
export type MemoryUse = "analysis" | "ingest";

/** What a budget sets. */
export interface MemoryPlan {
  /** images at once (analysis) or pool workers (ingest) */
  concurrency: number;
  /** DuckDB's memory_limit per instance, bytes (undefined: DuckDB's default, 80% of RAM) */
  duckdbBytes?: number;
  /** DuckDB's threads per instance at most */
  duckdbThreads?: number;
  /** each pool worker's old generation at most, MiB (ingest) */
  workerHeapMb?: number;
  /** the RSS above which an ingest worker collects garbage after a piece, MiB */
  rssBudgetMb?: number;
  /** capture bytes an ingest reads in one batch at most (pipeline/ingest/batches.ts) */
  batchBytes?: number;
}

const tooSmall = (text: string, needs: number, what: string): UsageError =>
  new UsageError(
    `--max-memory ${text}: below what ${what} needs (${needs / MIB} MiB: ${PROCESS_BASE / MIB} MiB for the process, ` +
      `the rest for the work); give at least ${needs / MIB}M`,
  );

/** DuckDB's threads for `bytes` of memory: one per 64 MiB, at least one. */
const threadsFor = (bytes: number): number => Math.max(1, Math.floor(bytes / (64 * MIB)));

/**
 * The plan for `--max-memory` (undefined: no budget) and `--workers`. Analysis: the budget past the
 * process's own is split into lanes of at least ANALYSIS_LANE (fewer images at once than --workers
 * when it is small), half of each lane to its DuckDB instance (the rest is Node's heap, Arrow
 * buffers and the results). Ingest: 3/4 of it to the pool, in workers of at least INGEST_WORKER
 * (their old generation capped at 3/5 of the share), 1/4 to DuckDB (staging and the views); the
 * workers collect above 3/4 of the whole, and a batch of captures holds at most 1/4 of it in bytes. A budget below one lane or one worker is an error.
 */
export function memoryPlan(
  maxMemory: string | undefined,
  workers: number | undefined,
  use: MemoryUse = "analysis",
): MemoryPlan {
  const requested = checkWorkers(workers);
  if (maxMemory === undefined) return { concurrency: requested };
  const bytes = parseSize(maxMemory);
  const work = bytes - PROCESS_BASE;
  const rssBudgetMb = Math.floor((bytes * 3) / 4 / MIB);
  if (use === "analysis") {
    const lanes = Math.min(requested, Math.floor(work / ANALYSIS_LANE));
    if (lanes < 1) throw tooSmall(maxMemory, PROCESS_BASE + ANALYSIS_LANE, "one image at a time");
    const duckdbBytes = Math.floor(work / lanes / 2);
    return { concurrency: lanes, duckdbBytes, duckdbThreads: threadsFor(duckdbBytes), rssBudgetMb };
  }
  const pool = Math.floor((work * 3) / 4);
  const n = Math.min(requested, Math.floor(pool / INGEST_WORKER));
  if (n < 1)
    throw tooSmall(
      maxMemory,
      PROCESS_BASE + Math.ceil((INGEST_WORKER * 4) / 3 / MIB) * MIB,
      "one ingest worker",
    );
  const duckdbBytes = Math.floor(work / 4);
  return {
    concurrency: n,
    duckdbBytes,
    duckdbThreads: threadsFor(duckdbBytes),
    workerHeapMb: Math.floor((pool / n / MIB) * 0.6),
    rssBudgetMb,
    // the main thread holds about 0.4 byte per capture byte of a batch until it is committed
    // (scan replies, timelines, parts, rejects): a quarter of the work share keeps that to a tenth
    batchBytes: Math.max(4 * MIB, Math.floor(work / 4)),
  };
}

/** Applies the plan of `--max-memory` and `--workers` to this process (DuckDB, the pool); returns it. */
export function applyMaxMemory(
  maxMemory: string | undefined,
  workers: number | undefined,
  use: MemoryUse = "analysis",
): MemoryPlan {
  const plan = memoryPlan(maxMemory, workers, use);
  setMemoryLimit(plan.duckdbBytes, plan.duckdbThreads);
  setWorkerBudget(
    plan.workerHeapMb === undefined ? undefined : { workers: plan.concurrency, heapMb: plan.workerHeapMb },
  );
  // read by each ingest worker when it starts (workers copy the environment at their creation)
  if (plan.rssBudgetMb !== undefined) process.env.SANDMINE_RSS_BUDGET_MB = String(plan.rssBudgetMb);
  return plan;
}

/** A full collection of this thread's heap now (V8's `gc`, exposed when first needed). */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/**
 * What a long job's heap may grow by between two full collections (`heapKeeper`): about ten
 * images' worth of an `--all-images` stage (each leaves ~1.5 MiB of dead results in the old
 * generation, measured on the fleet bench's synthesize).
 */
export const HEAP_SLACK = 16 * MIB;

/**
 * A check to call between units of a long job (images, batches): it collects the heap when it has
 * grown by more than `slack` since the last collection. V8 lets dead objects that survived two
 * scavenges (an image's query results and reports, alive across its awaits) pile up in the old
 * generation and raises its limit as the job goes on, so a job of 200 images held ~60 MiB more
 * heap than one of 20 (synthesize --all-images, measured: heap 68 → 107 MiB); a collection costs
 * ~20 ms at that size, once per `slack` of garbage, not per unit.
 */
export function heapKeeper(slack: number = HEAP_SLACK): () => void {
  let floor = getHeapStatistics().used_heap_size;
  return () => {
    if (getHeapStatistics().used_heap_size - floor <= slack) return;
    collectGarbage();
    floor = getHeapStatistics().used_heap_size;
  };
}

/**
 * With SANDMINE_TIMING set, a function that prints a line with the process's RSS and this thread's
 * heap (to see where a job's memory goes); without it, one that does nothing.
 */
export function memoryTrace(): (what: string) => void {
  if (!process.env.SANDMINE_TIMING) return () => {};
  return (what) => {
    const m = process.memoryUsage();
    const mb = (x: number): string => (x / MIB).toFixed(0);
    process.stderr.write(
      `[memory] ${what}: rss ${mb(m.rss)} MiB, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)}, external ${mb(m.external)}\n`,
    );
  };
}
