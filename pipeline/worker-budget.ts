/**
 * `--workers` and `--max-memory`'s limits of the pool workers, apart from the pool itself
 * (pipeline/pool.ts): pipeline/memory.ts sets them in every command, and an analysis process
 * that never starts a worker should not load piscina for it (22 files; `sandmine characterize DS
 * -q` warm, least of 5, load 4.4: 0.63 → 0.60 s, 0.83 → 0.80 CPU s).
 */
import { availableParallelism } from "node:os";
import { UsageError } from "./errors.ts";

/** Checks `--workers`. */
export function checkWorkers(v: string | number | undefined): number {
  if (v === undefined) return Math.max(1, availableParallelism());
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new UsageError(`--workers must be an integer from 1 to 256, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** At most `workers` threads per pool, each with an old generation of at most `heapMb` MiB. */
export interface WorkerBudget {
  workers: number;
  heapMb: number;
}

/** `--max-memory`'s limits of the pools created from now on (pipeline/memory.ts); none: Node's defaults. */
let budget: WorkerBudget | undefined;

/** Sets the limits of the pools created from now on. */
export function setWorkerBudget(b: WorkerBudget | undefined): void {
  budget = b;
}

/** The limits of a pool created now. */
export const workerBudget = (): WorkerBudget | undefined => budget;
