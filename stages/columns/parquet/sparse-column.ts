/**
 * A sparse column (stages/columns/sparse.ts: the rows that have a value and those values only) as
 * the body of a Parquet data page, without laying it out per row first: the definition levels are
 * its validity bits, the values are already the non-null ones in row order. The bytes are those
 * encodeColumn writes for the same column finished as Arrow data (test/columns/parquet-writer).
 * No statistics: no sparse events column is one the queries prune on.
 */
import type { SparseColumn } from "../sparse.ts";
import { ENCODING, integers, levels, PHYSICAL, putString, scratch, type EncodedColumn } from "./column.ts";
import { deltaInt32, deltaInt64 } from "./delta.ts";
import type { ByteSink } from "./sink.ts";

/** Writes the page body of `c` into `out` (emptied first). */
export function encodeSparse(c: SparseColumn, nullable: boolean, out: ByteSink): EncodedColumn {
  out.reset();
  const { n, count, values: v } = c;
  const nulls = n - count;
  if (v.kind === "bool") {
    if (nullable) levels(null, n, out);
    out.copy(c.bits.subarray(0, (n + 7) >> 3));
    return { physical: PHYSICAL.BOOLEAN, encoding: ENCODING.PLAIN, values: n, nulls: 0 };
  }
  if (nullable) levels(nulls > 0 ? c.bits : null, n, out);
  else if (nulls > 0) throw new Error("Parquet writer: nulls in a required column");
  if (v.kind === "int64") {
    const words = scratch(2 * count);
    for (let i = 0; i < count; i++) {
      words[2 * i] = v.lo[i]!;
      words[2 * i + 1] = v.hi[i]!;
    }
    const delta = count > 0 && deltaInt64(words, count, out);
    if (!delta) out.copy(new Uint8Array(words.buffer, 0, 8 * count));
    return integers(PHYSICAL.INT64, delta, n, nulls, null);
  }
  if (v.kind === "int32") {
    const delta = count > 0 && deltaInt32(v.values, count, out);
    if (!delta) out.copy(new Uint8Array(v.values.buffer, v.values.byteOffset, 4 * count));
    return integers(PHYSICAL.INT32, delta, n, nulls, null);
  }
  const bytes = v.bytes;
  const end = count > 0 ? v.ends[count - 1]! : 0;
  let at = out.reserve(4 * count + end);
  const buf = out.buf;
  let prev = 0;
  for (let i = 0; i < count; i++) {
    at = putString(buf, at, bytes, prev, v.ends[i]! - prev);
    prev = v.ends[i]!;
  }
  return { physical: PHYSICAL.BYTE_ARRAY, encoding: ENCODING.PLAIN, values: n, nulls };
}
