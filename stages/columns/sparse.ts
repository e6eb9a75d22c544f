/**
 * Column builders for mostly-null columns: only the rows that have a value are recorded, so a null
 * costs nothing per row; `finish(n)` lays out the full column. Rows must be set in increasing order.
 */
import { Bool, Int32, Int64, Utf8, makeData, type Data } from "apache-arrow";
import { copyBytes } from "./copy-bytes.ts";
import { ScratchI32, ScratchU8 } from "./scratch.ts";

function growI32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * A sparse column as the Parquet writer takes it (stages/columns/parquet/sparse-column.ts): the
 * rows that have a value, their validity bits over all `n` rows, and the values of those rows
 * only, so nothing is laid out per row.
 */
export type SparseValues =
  | { kind: "int64"; lo: Int32Array; hi: Int32Array }
  | { kind: "int32"; values: Int32Array }
  | { kind: "utf8"; bytes: Uint8Array; ends: Int32Array }
  | { kind: "bool" };

export interface SparseColumn {
  n: number;
  count: number;
  /** validity of the `n` rows (for bool: the values) */
  bits: Uint8Array;
  values: SparseValues;
}

function validity(rows: Int32Array, count: number, n: number, out: ScratchU8): Uint8Array {
  const bits = out.get((n + 7) >> 3, 0);
  for (let i = 0; i < count; i++) {
    const r = rows[i]!;
    bits[r >> 3]! |= 1 << (r & 7);
  }
  return bits;
}

/** Sparse Int64 (values exact below 2^53, or bigint). */
export class SparseInt64 {
  private rows = new Int32Array(64);
  private lo = new Int32Array(64);
  private hi = new Int32Array(64);
  private count = 0;
  private readonly out = new ScratchI32();
  private readonly bits = new ScratchU8();
  set(row: number, x: number | bigint): void {
    const i = this.count++;
    if (i >= this.rows.length) {
      this.rows = growI32(this.rows, i + 1);
      this.lo = growI32(this.lo, i + 1);
      this.hi = growI32(this.hi, i + 1);
    }
    this.rows[i] = row;
    if (typeof x === "bigint") {
      const u = BigInt.asUintN(64, x);
      this.lo[i] = Number(u & 0xffffffffn) | 0;
      this.hi[i] = Number(u >> 32n) | 0;
    } else {
      const h = Math.floor(x / 4294967296);
      this.lo[i] = (x - h * 4294967296) | 0;
      this.hi[i] = h | 0;
    }
  }
  /** Back to no rows, keeping the capacity. */
  reset(): void {
    this.count = 0;
  }
  /** The column for the Parquet writer (values of the set rows only). */
  parquet(n: number): SparseColumn {
    const c = this.count;
    return {
      n,
      count: c,
      bits: validity(this.rows, c, n, this.bits),
      values: { kind: "int64", lo: this.lo.subarray(0, c), hi: this.hi.subarray(0, c) },
    };
  }
  finish(n: number): Data<Int64> {
    const v = this.out.get(2 * n, true);
    for (let i = 0; i < this.count; i++) {
      const r = this.rows[i]!;
      v[2 * r] = this.lo[i]!;
      v[2 * r + 1] = this.hi[i]!;
    }
    return makeData({
      type: new Int64(),
      length: n,
      nullCount: n - this.count,
      data: new BigInt64Array(v.buffer, v.byteOffset, n),
      nullBitmap: validity(this.rows, this.count, n, this.bits),
    });
  }
}

/** Sparse Int32. */
export class SparseInt32 {
  private rows = new Int32Array(64);
  private vals = new Int32Array(64);
  private count = 0;
  private readonly out = new ScratchI32();
  private readonly bits = new ScratchU8();
  set(row: number, x: number): void {
    const i = this.count++;
    if (i >= this.rows.length) {
      this.rows = growI32(this.rows, i + 1);
      this.vals = growI32(this.vals, i + 1);
    }
    this.rows[i] = row;
    this.vals[i] = x;
  }
  /** Back to no rows, keeping the capacity. */
  reset(): void {
    this.count = 0;
  }
  /** The column for the Parquet writer (values of the set rows only). */
  parquet(n: number): SparseColumn {
    const c = this.count;
    return {
      n,
      count: c,
      bits: validity(this.rows, c, n, this.bits),
      values: { kind: "int32", values: this.vals.subarray(0, c) },
    };
  }
  finish(n: number): Data<Int32> {
    const v = this.out.get(n, true);
    for (let i = 0; i < this.count; i++) v[this.rows[i]!] = this.vals[i]!;
    return makeData({
      type: new Int32(),
      length: n,
      nullCount: n - this.count,
      data: v,
      nullBitmap: validity(this.rows, this.count, n, this.bits),
    });
  }
}

/** Sparse Bool: rows not set are false (never null). */
export class SparseBool {
  private rows = new Int32Array(64);
  private count = 0;
  private readonly bits = new ScratchU8();
  /** Marks `row` true. */
  set(row: number): void {
    const i = this.count++;
    if (i >= this.rows.length) this.rows = growI32(this.rows, i + 1);
    this.rows[i] = row;
  }
  /** Back to no rows, keeping the capacity. */
  reset(): void {
    this.count = 0;
  }
  /** The column for the Parquet writer: `bits` are the values (no row is null). */
  parquet(n: number): SparseColumn {
    return { n, count: n, bits: validity(this.rows, this.count, n, this.bits), values: { kind: "bool" } };
  }
  finish(n: number): Data<Bool> {
    return makeData({
      type: new Bool(),
      length: n,
      nullCount: 0,
      data: validity(this.rows, this.count, n, this.bits),
    });
  }
}

/** Sparse Utf8; values given as latin1-decoded text of UTF-8 bytes, or as JS strings. */
export class SparseUtf8 {
  private rows = new Int32Array(64);
  private ends = new Int32Array(64);
  private bytes = Buffer.alloc(4096);
  private view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  private used = 0;
  private count = 0;
  private readonly outOffsets = new ScratchI32();
  private readonly bits = new ScratchU8();
  private reserve(extra: number): void {
    const i = this.count;
    if (i >= this.rows.length) {
      this.rows = growI32(this.rows, i + 1);
      this.ends = growI32(this.ends, i + 1);
    }
    if (this.used + extra > this.bytes.length) {
      const b = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + extra));
      this.bytes.copy(b, 0, 0, this.used);
      this.bytes = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
  }
  setLatin1(row: number, s: string): void {
    this.reserve(s.length);
    this.used += this.bytes.write(s, this.used, "latin1");
    this.rows[this.count] = row;
    this.ends[this.count++] = this.used;
  }
  /** Sets bytes [a, b) of `src` (valid UTF-8). */
  setBytes(row: number, src: Uint8Array, a: number, b: number): void {
    this.reserve(b - a);
    this.used = copyBytes(src, a, b, this.bytes, this.view, this.used);
    this.rows[this.count] = row;
    this.ends[this.count++] = this.used;
  }
  setString(row: number, s: string): void {
    this.reserve(Buffer.byteLength(s));
    this.used += this.bytes.write(s, this.used, "utf8");
    this.rows[this.count] = row;
    this.ends[this.count++] = this.used;
  }
  /** Back to no rows, keeping the capacity. */
  reset(): void {
    this.count = 0;
    this.used = 0;
  }
  /** The column for the Parquet writer (bytes of the set rows, each ending at `ends`). */
  parquet(n: number): SparseColumn {
    const c = this.count;
    return {
      n,
      count: c,
      bits: validity(this.rows, c, n, this.bits),
      values: { kind: "utf8", bytes: this.bytes.subarray(0, this.used), ends: this.ends.subarray(0, c) },
    };
  }
  finish(n: number): Data<Utf8> {
    const offsets = this.outOffsets.get(n + 1, false);
    offsets[0] = 0;
    let k = 0;
    let prevEnd = 0;
    for (let r = 0; r < n; r++) {
      if (k < this.count && this.rows[k] === r) {
        prevEnd = this.ends[k++]!;
      }
      offsets[r + 1] = prevEnd;
    }
    return makeData({
      type: new Utf8(),
      length: n,
      nullCount: n - this.count,
      valueOffsets: offsets,
      data: new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.used),
      nullBitmap: validity(this.rows, this.count, n, this.bits),
    });
  }
}

/** Sparse Dictionary<Utf8, Int32>. */
export class SparseDict {
  private readonly index = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly idx = new SparseInt32();
  private readonly out = new SparseUtf8();
  set(row: number, s: string): void {
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.values.length;
      this.index.set(s, k);
      this.values.push(s);
    }
    this.idx.set(row, k);
  }
  /** Back to no rows and no values. */
  reset(): void {
    this.index.clear();
    this.values.length = 0;
    this.idx.reset();
  }
  /** The column as dictionary indices and values (first-seen order), for the Parquet writer. */
  finishDict(n: number): { indices: Data<Int32>; values: readonly string[] } {
    return { indices: this.idx.finish(n), values: this.values };
  }
  /** Lays the column out as plain Utf8 (see DictBuilder.finishUtf8). */
  finishUtf8(n: number): Data<Utf8> {
    const out = this.out;
    out.reset();
    const idx = this.idx.finish(n);
    const keys = idx.values;
    const valid = idx.nullBitmap;
    for (let r = 0; r < n; r++)
      if (valid && (valid[r >> 3]! >> (r & 7)) & 1) out.setString(r, this.values[keys[r]!]!);
    return out.finish(n);
  }
}
