/**
 * One Arrow column (Int32, Int64, Utf8 or Bool `Data`) as the body of a Parquet v1 data page:
 * definition levels (nullable columns) and the non-null values — integers DELTA_BINARY_PACKED
 * (delta.ts) or PLAIN, strings and booleans PLAIN — with min/max statistics on request. Values
 * are read from the Arrow buffers as they are (no per-value object).
 */
import { Type, type Data } from "apache-arrow";
import { deltaInt32, deltaInt64 } from "./delta.ts";
import { ByteSink } from "./sink.ts";

/** Parquet physical types. */
export const PHYSICAL = { BOOLEAN: 0, INT32: 1, INT64: 2, BYTE_ARRAY: 6 } as const;

/** Parquet encodings of values. */
export const ENCODING = {
  PLAIN: 0,
  RLE: 3,
  DELTA_BINARY_PACKED: 5,
  RLE_DICTIONARY: 8,
} as const;

export interface EncodedColumn {
  physical: number;
  /** how the values are encoded (ENCODING) */
  encoding: number;
  /** rows (levels), nulls included */
  values: number;
  nulls: number;
  /** min and max of the non-null values in their PLAIN form without length, when asked and any */
  min?: Uint8Array;
  max?: Uint8Array;
}

let words = new Int32Array(1024);

/** A reused aligned buffer of at least `n` 32-bit words (the sink's offsets are not aligned). */
export function scratch(n: number): Int32Array {
  if (words.length < n) words = new Int32Array(Math.max(n, 2 * words.length));
  return words;
}

/** Whether bit `i` of a validity bitmap is set. */
export const valid = (bitmap: Uint8Array, i: number): boolean => ((bitmap[i >> 3]! >> (i & 7)) & 1) === 1;

/**
 * Writes the page body of `data` into `out` (emptied first): the 4-byte length and RLE/bit-packed
 * hybrid definition levels when `nullable`, then the PLAIN values.
 */
export function encodeColumn(data: Data, nullable: boolean, stats: boolean, out: ByteSink): EncodedColumn {
  out.reset();
  const n = data.length;
  const nulls = data.nullCount;
  const bitmap = nulls > 0 ? ownBitmap(data) : null;
  if (nullable) levels(bitmap, n, out);
  else if (nulls > 0) throw new Error("Parquet writer: nulls in a required column");
  const t = data.type.typeId;
  if (t === Type.Int) {
    const bits = (data.type as unknown as { bitWidth: number }).bitWidth;
    if (bits === 64) return int64(data, bitmap, stats, out);
    if (bits === 32) return int32(data, bitmap, stats, out);
    throw new Error(`Parquet writer: Int${bits} is not supported`);
  }
  if (t === Type.Utf8) return utf8(data, bitmap, stats, out);
  if (t === Type.Bool) return bool(data, bitmap, out);
  throw new Error(`Parquet writer: Arrow type ${Type[t]} is not supported`);
}

/** The validity bits of `data` from its row 0 (a copy when the data is sliced at an odd bit). */
export function ownBitmap(data: Data): Uint8Array {
  const off = data.offset;
  const src = data.nullBitmap!;
  if ((off & 7) === 0) return src.subarray(off >> 3);
  const out = new Uint8Array((data.length + 7) >> 3);
  for (let i = 0; i < data.length; i++) if (valid(src, off + i)) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** Definition levels (max level 1, bit width 1) with their 4-byte length prefix. */
export function levels(bitmap: Uint8Array | null, n: number, out: ByteSink): void {
  const at = out.reserve(4);
  const start = out.length;
  if (bitmap === null) {
    // one RLE run of n ones
    out.varint(n * 2);
    out.byte(1);
  } else {
    // one bit-packed run: groups of 8 levels, LSB first, which is the validity bitmap itself
    const bytes = (n + 7) >> 3;
    out.varint(bytes * 2 + 1);
    out.copy(bitmap.subarray(0, bytes));
    if (n & 7) out.buf[out.length - 1]! &= (1 << (n & 7)) - 1;
  }
  out.setU32(at, out.length - start);
}

function int64(data: Data, bitmap: Uint8Array | null, stats: boolean, out: ByteSink): EncodedColumn {
  const n = data.length;
  const v = data.values as BigInt64Array;
  const w = new Int32Array(v.buffer, v.byteOffset + data.offset * 8, 2 * n);
  let lo = 0;
  let hi = 0;
  let minLo = 0;
  let minHi = 0;
  let maxLo = 0;
  let maxHi = 0;
  let seen = false;
  let vals = w;
  if (bitmap !== null) {
    vals = scratch(2 * (n - data.nullCount));
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (!valid(bitmap, i)) continue;
      vals[j++] = w[2 * i]!;
      vals[j++] = w[2 * i + 1]!;
    }
  }
  const count = n - data.nullCount;
  const delta = count > 0 && deltaInt64(vals, count, out);
  if (!delta) out.copy(new Uint8Array(vals.buffer, vals.byteOffset, 8 * count));
  if (stats) {
    for (let i = 0; i < n; i++) {
      if (bitmap !== null && !valid(bitmap, i)) continue;
      lo = w[2 * i]! >>> 0;
      hi = w[2 * i + 1]!;
      if (!seen) {
        minLo = maxLo = lo;
        minHi = maxHi = hi;
        seen = true;
        continue;
      }
      if (hi < minHi || (hi === minHi && lo < minLo)) {
        minHi = hi;
        minLo = lo;
      }
      if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
        maxHi = hi;
        maxLo = lo;
      }
    }
  }
  return integers(
    PHYSICAL.INT64,
    delta,
    n,
    data.nullCount,
    seen ? [le64(minLo, minHi), le64(maxLo, maxHi)] : null,
  );
}

/** What an integer column's page holds: delta-packed or PLAIN values, and its min and max if asked. */
export function integers(
  physical: number,
  delta: boolean,
  values: number,
  nulls: number,
  extremes: [Uint8Array, Uint8Array] | null,
): EncodedColumn {
  const r: EncodedColumn = {
    physical,
    encoding: delta ? ENCODING.DELTA_BINARY_PACKED : ENCODING.PLAIN,
    values,
    nulls,
  };
  if (extremes) [r.min, r.max] = extremes;
  return r;
}

function le64(lo: number, hi: number): Uint8Array {
  const b = new Uint8Array(8);
  const d = new DataView(b.buffer);
  d.setUint32(0, lo, true);
  d.setInt32(4, hi, true);
  return b;
}

function le32(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, x, true);
  return b;
}

function int32(data: Data, bitmap: Uint8Array | null, stats: boolean, out: ByteSink): EncodedColumn {
  const n = data.length;
  const v = data.values as Int32Array;
  const w = v.subarray(data.offset, data.offset + n);
  let min = 0;
  let max = 0;
  let seen = false;
  let vals = w;
  if (bitmap !== null) {
    vals = scratch(n - data.nullCount);
    let j = 0;
    for (let i = 0; i < n; i++) if (valid(bitmap, i)) vals[j++] = w[i]!;
  }
  const count = n - data.nullCount;
  const delta = count > 0 && deltaInt32(vals, count, out);
  if (!delta) out.copy(new Uint8Array(vals.buffer, vals.byteOffset, 4 * count));
  if (stats) {
    for (let i = 0; i < n; i++) {
      if (bitmap !== null && !valid(bitmap, i)) continue;
      const x = w[i]!;
      if (!seen) {
        min = max = x;
        seen = true;
      } else if (x < min) min = x;
      else if (x > max) max = x;
    }
  }
  return integers(PHYSICAL.INT32, delta, n, data.nullCount, seen ? [le32(min), le32(max)] : null);
}

/** -1, 0 or 1 as bytes [a, a+na) compare with [b, b+nb) (unsigned, shorter first on a tie). */
function compareBytes(s: Uint8Array, a: number, na: number, b: number, nb: number): number {
  const m = Math.min(na, nb);
  for (let k = 0; k < m; k++) {
    const d = s[a + k]! - s[b + k]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return na === nb ? 0 : na < nb ? -1 : 1;
}

/**
 * Strings PLAIN: a 4-byte length before each value. (DELTA_LENGTH_BYTE_ARRAY, the lengths packed
 * and then the bytes in one copy, was 10 % faster to write, but Spark's vectorized reader refused it
 * as a column's only encoding before 3.4, SPARK-40128.)
 */
function utf8(data: Data, bitmap: Uint8Array | null, stats: boolean, out: ByteSink): EncodedColumn {
  const n = data.length;
  const offsets = (data.valueOffsets as Int32Array).subarray(data.offset, data.offset + n + 1);
  const s = data.values as Uint8Array;
  const count = n - data.nullCount;
  let bytes = 0;
  for (let i = 0; i < n; i++) if (bitmap === null || valid(bitmap, i)) bytes += offsets[i + 1]! - offsets[i]!;
  let at = out.reserve(4 * count + bytes);
  const buf = out.buf;
  let minAt = -1;
  let minLen = 0;
  let maxAt = -1;
  let maxLen = 0;
  for (let i = 0; i < n; i++) {
    if (bitmap !== null && !valid(bitmap, i)) continue;
    const a = offsets[i]!;
    const len = offsets[i + 1]! - a;
    at = putString(buf, at, s, a, len);
    if (!stats) continue;
    if (minAt < 0) {
      minAt = maxAt = a;
      minLen = maxLen = len;
    } else if (compareBytes(s, a, len, minAt, minLen) < 0) {
      minAt = a;
      minLen = len;
    } else if (compareBytes(s, a, len, maxAt, maxLen) > 0) {
      maxAt = a;
      maxLen = len;
    }
  }
  const r: EncodedColumn = {
    physical: PHYSICAL.BYTE_ARRAY,
    encoding: ENCODING.PLAIN,
    values: n,
    nulls: data.nullCount,
  };
  if (minAt >= 0) {
    r.min = s.slice(minAt, minAt + minLen);
    r.max = s.slice(maxAt, maxAt + maxLen);
  }
  return r;
}

/** Writes one PLAIN string (length, then bytes [a, a+len) of `s`) at `at` of `buf`; returns the end. */
export function putString(buf: Uint8Array, at: number, s: Uint8Array, a: number, len: number): number {
  buf[at] = len & 0xff;
  buf[at + 1] = (len >>> 8) & 0xff;
  buf[at + 2] = (len >>> 16) & 0xff;
  buf[at + 3] = len >>> 24;
  at += 4;
  if (len < 16) for (let k = 0; k < len; k++) buf[at + k] = s[a + k]!;
  else buf.set(s.subarray(a, a + len), at);
  return at + len;
}

function bool(data: Data, bitmap: Uint8Array | null, out: ByteSink): EncodedColumn {
  const n = data.length;
  const v = data.values as Uint8Array;
  const off = data.offset;
  const count = n - data.nullCount;
  const at = out.reserve((count + 7) >> 3);
  out.buf.fill(0, at, at + ((count + 7) >> 3));
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (bitmap !== null && !valid(bitmap, i)) continue;
    if (valid(v, off + i)) out.buf[at + (j >> 3)]! |= 1 << (j & 7);
    j++;
  }
  return { physical: PHYSICAL.BOOLEAN, encoding: ENCODING.PLAIN, values: n, nulls: data.nullCount };
}
