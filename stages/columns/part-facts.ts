/**
 * What a run's `runs` row needs from one events part (time span, distinct tasks and syscalls),
 * taken from the batch the worker has just written instead of reading the parts back with DuckDB
 * at staging (a serial scan of every event after the parallel parse: 0.25 s of the 4 M-line
 * capture's ingest, measured).
 */
import type { RecordBatch } from "apache-arrow";
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
  const n = rb.numRows;
  const ts = rb.getChild("ts_ns")!.data[0]!;
  const halves = new Int32Array(ts.values.buffer, ts.values.byteOffset, 2 * n);
  const valid = ts.nullCount > 0 ? ts.nullBitmap : null;
  // compare as (signed high, unsigned low) halves: no BigInt per row
  let minI = -1;
  let maxI = -1;
  for (let i = 0; i < n; i++) {
    if (valid && !((valid[i >> 3]! >> (i & 7)) & 1)) continue;
    if (minI < 0) {
      minI = maxI = i;
      continue;
    }
    if (less(halves, i, minI)) minI = i;
    if (less(halves, maxI, i)) maxI = i;
  }
  const at = (i: number): string | null => (i < 0 ? null : String((ts.values as BigInt64Array)[i]));
  const tid = rb.getChild("tid")!.data[0]!.values as Int32Array;
  const tids = new Set<number>();
  for (let i = 0; i < n; i++) tids.add(tid[i]!);
  return { rows: n, tsMin: at(minI), tsMax: at(maxI), tids: [...tids], syscalls: [...b.syscall.distinct()] };
}

function less(h: Int32Array, i: number, j: number): boolean {
  const a = h[2 * i + 1]!;
  const b = h[2 * j + 1]!;
  if (a !== b) return a < b;
  return h[2 * i]! >>> 0 < h[2 * j]! >>> 0;
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
