/**
 * What a run's `runs` row needs from one events part (time span, distinct tasks and syscalls),
 * taken from the batch the worker has just written instead of reading the parts back with DuckDB
 * at staging (a serial scan of every event after the parallel parse: 0.25 s of the 4 M-line
 * capture's ingest, measured).
 */
import type { Data, RecordBatch } from "apache-arrow";
import type { EventBatch } from "./event-batch.ts";

export interface PartFacts {
  rows: number;
  /** least and greatest non-null `ts_ns` (decimal, as DuckDB's `min(ts_ns)::VARCHAR`), or null. */
  tsMin: string | null;
  tsMax: string | null;
  /** the distinct `tid` values. */
  tids: number[];
  /** the distinct `syscall` values. */
  syscalls: string[];
}

/** The facts of `rb`, the batch `b` finished into. */
export function partFacts(b: EventBatch, rb: RecordBatch): PartFacts {
  return factsOf(b, rb.getChild("ts_ns")!.data[0]!, rb.getChild("tid")!.data[0]!);
}

/** partFacts from the finished `ts_ns` and `tid` columns (no record batch). */
export function factsOf(b: EventBatch, ts: Data, tid: Data): PartFacts {
  const n = ts.length;
  const values = ts.values as BigInt64Array;
  tsRange(
    new Int32Array(values.buffer, values.byteOffset, 2 * n),
    ts.nullCount > 0 ? ts.nullBitmap : null,
    n,
  );
  return {
    rows: n,
    tsMin: range.min < 0 ? null : String(values[range.min]),
    tsMax: range.max < 0 ? null : String(values[range.max]),
    tids: distinct(tid.values as Int32Array, n),
    syscalls: [...b.syscall.distinct()],
  };
}

const range = { min: -1, max: -1 };

/**
 * The rows of the least and greatest non-null Int64 of `halves` (low, high Int32 pairs), compared
 * as (signed high, unsigned low): no BigInt per row. Small functions of their own, so that V8
 * optimises each loop once (one function with both loops deoptimised on every part, measured).
 */
function tsRange(halves: Int32Array, valid: Uint8Array | null, n: number): void {
  let minI = -1;
  let maxI = -1;
  let minHi = 0;
  let minLo = 0;
  let maxHi = 0;
  let maxLo = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0) continue;
    const hi = halves[2 * i + 1]!;
    const lo = halves[2 * i]! >>> 0;
    if (minI < 0 || hi < minHi || (hi === minHi && lo < minLo)) {
      minI = i;
      minHi = hi;
      minLo = lo;
    }
    if (maxI < 0 || hi > maxHi || (hi === maxHi && lo > maxLo)) {
      maxI = i;
      maxHi = hi;
      maxLo = lo;
    }
  }
  range.min = minI;
  range.max = maxI;
}

/** The distinct values of `v[0, n)` (runs of one task are the rule: only changes reach the set). */
function distinct(v: Int32Array, n: number): number[] {
  const seen = new Set<number>();
  let last = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (i > 0 && x === last) continue;
    seen.add(x);
    last = x;
  }
  return [...seen];
}

/** The facts of the concatenation of parts (in any order). */
export function mergeFacts(parts: readonly PartFacts[]): PartFacts {
  let tsMin: bigint | null = null;
  let tsMax: bigint | null = null;
  const tids = new Set<number>();
  const syscalls = new Set<string>();
  let rows = 0;
  for (const p of parts) {
    rows += p.rows;
    if (p.tsMin !== null) {
      const lo = BigInt(p.tsMin);
      const hi = BigInt(p.tsMax!);
      if (tsMin === null || lo < tsMin) tsMin = lo;
      if (tsMax === null || hi > tsMax) tsMax = hi;
    }
    for (const t of p.tids) tids.add(t);
    for (const s of p.syscalls) syscalls.add(s);
  }
  return {
    rows,
    tsMin: tsMin === null ? null : String(tsMin),
    tsMax: tsMax === null ? null : String(tsMax),
    tids: [...tids],
    syscalls: [...syscalls],
  };
}
