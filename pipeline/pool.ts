/**
 * The single piscina pool. Workers are TypeScript run through tsx when the sources are not built.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
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

/** Creates a pool of exactly `workers` threads running `file`. */
export function createPool(file: URL, workers: number): Piscina {
  const ts = file.pathname.endsWith(".ts");
  return new Piscina({
    filename: file.href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    execArgv: ts ? ["--import", "tsx"] : [],
    // a small young generation keeps each worker's resident memory down (pieces are short-lived)
    resourceLimits: { maxYoungGenerationSizeMb: Number(process.env.SANDMINE_YOUNG_MB ?? 8) },
  });
}
