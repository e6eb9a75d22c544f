/**
 * What `synthesize` learns from a dataset, already aggregated by DuckDB (pipeline/profile/facts.ts):
 * who called which syscall in which phase, and the observed values of the arguments the rules
 * restrict. Values are kernel values as unsigned 64-bit bigints; null = not recorded.
 */

/** Calls of one syscall by one process in one run and phase. */
export interface UsageRow {
  syscall: string;
  arch: string;
  phase: string;
  comm: string;
  run: string;
  calls: number;
}

/** Calls of one syscall with one tuple of values at the restricted positions (others null). */
export interface ArgRow {
  syscall: string;
  arch: string;
  phase: string;
  values: readonly (bigint | null)[];
  calls: number;
}

/** Calls with one path argument value. */
export interface PathRow {
  syscall: string;
  arg: string;
  path: string;
  calls: number;
}

export interface Facts {
  image: string;
  runs: string[];
  events: number;
  usage: UsageRow[];
  args: ArgRow[];
  paths: PathRow[];
}

/** Phases the filter governs: runc loads it at the start of `init`; `runtime` runs unfiltered. */
export function governedPhases(withRuntime: boolean): string[] {
  return withRuntime ? ["init", "workload", "unknown"] : ["workload", "unknown"];
}

const U64 = (1n << 64n) - 1n;

/** A signed or unsigned 64-bit value as unsigned (the register as the filter sees it). */
export function u64(v: bigint): bigint {
  return v & U64;
}
