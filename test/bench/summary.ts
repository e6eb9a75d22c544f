/**
 * The one record every benchmark leaves of its targets, in one shape, so that the README's
 * benchmark section is generated from the measurements (scripts/bench-readme.ts) rather than
 * copied by hand: `out/bench/NAME.summary.json`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** One row of a benchmark's target table. */
export interface BenchTarget {
  /** what is measured, e.g. "strace ingest, 2 workers". */
  path: string;
  /** the reference in the same run, e.g. "DuckDB read_csv + regexp_extract → Parquet". */
  baseline: string;
  /** the measured value as shown, e.g. "1.31×" or "482 MB". */
  measured: string;
  /** the target as shown, e.g. "≥ 3×". */
  target: string;
  met: boolean;
}

export interface BenchSummary {
  bench: string;
  /** ISO date of the run. */
  date: string;
  /** the commit measured (`git describe --always --dirty`). */
  commit: string;
  cores: number;
  /** 1-minute load average at the start and at the end of the run. */
  load: [number, number];
  /** the command that gave these numbers. */
  command: string;
  targets: BenchTarget[];
}

/** The commit of the working tree, `-dirty` when it has uncommitted changes. */
function commit(): string {
  try {
    return execFileSync("git", ["describe", "--always", "--dirty"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** Starts a summary: call at the start of the run (records the load then). */
export function startSummary(bench: string, command: string): (targets: BenchTarget[]) => string {
  const date = new Date().toISOString();
  const load0 = loadavg()[0]!;
  return (targets) => {
    const summary: BenchSummary = {
      bench,
      date,
      commit: commit(),
      cores: cpus().length,
      load: [round2(load0), round2(loadavg()[0]!)],
      command,
      targets,
    };
    const file = join(ROOT, "out", "bench", `${bench}.summary.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(summary, null, 2) + "\n");
    return file;
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** `x` as a ratio for the table: two decimals and ×. */
export const times = (x: number): string => `${x.toFixed(2)}×`;
