/**
 * Growable column builders that produce Arrow `Data` without per-value boxing: numbers go into typed
 * arrays, strings into one UTF-8 byte buffer (copied straight from the input where possible), and
 * dictionary columns keep their own index.
 */
import { Int32, Int64, Utf8, makeData, type Data } from "apache-arrow";
import { copyBytes } from "./copy-bytes.ts";
import { ScratchI32, ScratchU8 } from "./scratch.ts";

const INITIAL = 1024;

function grow<T extends Int32Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/**
 * Validity bits, one per row (1 = valid). Bits start set, so a valid value costs nothing; only a
 * null clears its bit.
 */
class Validity {
  bits = new Uint8Array(INITIAL >> 3).fill(0xff);
  nulls = 0;
  private readonly out = new ScratchU8();
  set(i: number, valid: boolean): void {
    if (valid) return;
    if (i >> 3 >= this.bits.length) {
      const old = this.bits.length;
      this.bits = grow(this.bits, (i >> 3) + 1);
      this.bits.fill(0xff, old);
    }
    this.bits[i >> 3]! &= ~(1 << (i & 7));
    this.nulls++;
  }
  /** Back to no rows, keeping the capacity. */
  reset(): void {
    if (this.nulls > 0) this.bits.fill(0xff);
    this.nulls = 0;
  }
  bitmap(length: number): Uint8Array | undefined {
    if (this.nulls === 0) return undefined;
    const n = (length + 7) >> 3;
    const out = this.out.get(n, 0xff);
    out.set(this.bits.subarray(0, Math.min(n, this.bits.length)));
    // bits past `length` must be zero
    if (length & 7) out[n - 1]! &= (1 << (length & 7)) - 1;
    return out;
  }
}

/** Int32 column. */
export class Int32Builder {
  private v = new Int32Array(INITIAL);
  private valid = new Validity();
  length = 0;
  push(x: number): void {
    if (this.length >= this.v.length) this.v = grow(this.v, this.length + 1);
    this.v[this.length] = x;
    this.valid.set(this.length++, true);
  }
  pushNull(): void {
    if (this.length >= this.v.length) this.v = grow(this.v, this.length + 1);
    this.v[this.length] = 0;
    this.valid.set(this.length++, false);
  }
  /** Back to no rows, keeping the capacity (the Data of an earlier finish() is overwritten). */
  reset(): void {
    this.length = 0;
    this.valid.reset();
  }
  finish(): Data<Int32> {
    const n = this.length;
    return makeData({
      type: new Int32(),
      length: n,
      nullCount: this.valid.nulls,
      data: this.v.subarray(0, n),
      nullBitmap: this.valid.bitmap(n),
    });
  }
}

const TWO32 = 4294967296;

/** Int64 column written as 32-bit halves, so that no BigInt is made per value. */
export class Int64Builder {
  private v = new Int32Array(INITIAL * 2);
  private valid = new Validity();
  length = 0;
  /** Appends an exact integer (|x| < 2^53) or a bigint. */
  push(x: number | bigint): void {
    if (2 * this.length + 2 > this.v.length) this.v = grow(this.v, 2 * this.length + 2);
    const i = 2 * this.length;
    if (typeof x === "number" && x >= 0 && x <= 0x7fffffff) {
      this.v[i] = x;
      this.v[i + 1] = 0;
    } else if (typeof x === "bigint") {
      const u = BigInt.asUintN(64, x);
      this.v[i] = Number(u & 0xffffffffn) | 0;
      this.v[i + 1] = Number(u >> 32n) | 0;
    } else {
      const hi = Math.floor(x / TWO32);
      this.v[i] = (x - hi * TWO32) | 0;
      this.v[i + 1] = hi | 0;
    }
    this.valid.set(this.length++, true);
  }
  /** Appends the 64-bit value with u32 halves `hi`, `lo`. */
  pushHiLo(hi: number, lo: number): void {
    if (2 * this.length + 2 > this.v.length) this.v = grow(this.v, 2 * this.length + 2);
    const i = 2 * this.length;
    this.v[i] = lo | 0;
    this.v[i + 1] = hi | 0;
    this.valid.set(this.length++, true);
  }
  /** Appends sec * 1e9 + nsec exactly, for epoch timestamps beyond 2^53 ns. */
  pushSecNs(sec: number, nsec: number): void {
    const secHi = Math.floor(sec / 65536);
    const a = secHi * 1e9; // exact
    const q = Math.floor(a / 65536);
    const c = (a - q * 65536) * 65536 + (sec - secHi * 65536) * 1e9 + nsec; // exact, < 2^53
    const hi = q + Math.floor(c / TWO32);
    this.v = grow(this.v, 2 * this.length + 2);
    const i = 2 * this.length;
    this.v[i] = (c - Math.floor(c / TWO32) * TWO32) | 0;
    this.v[i + 1] = hi | 0;
    this.valid.set(this.length++, true);
  }
  pushNull(): void {
    if (2 * this.length + 2 > this.v.length) this.v = grow(this.v, 2 * this.length + 2);
    this.v[2 * this.length] = 0;
    this.v[2 * this.length + 1] = 0;
    this.valid.set(this.length++, false);
  }
  /** Back to no rows, keeping the capacity (the Data of an earlier finish() is overwritten). */
  reset(): void {
    this.length = 0;
    this.valid.reset();
  }
  finish(): Data<Int64> {
    const n = this.length;
    const data = new BigInt64Array(this.v.buffer, this.v.byteOffset, n);
    return makeData({
      type: new Int64(),
      length: n,
      nullCount: this.valid.nulls,
      data,
      nullBitmap: this.valid.bitmap(n),
    });
  }
}

const encoder = new TextEncoder();

/** Utf8 column; bytes are appended from a source buffer or encoded from a string. */
export class Utf8Builder {
  private bytes: Buffer = Buffer.alloc(INITIAL * 16);
  private view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  private offsets = new Int32Array(INITIAL + 1);
  private valid = new Validity();
  private used = 0;
  length = 0;
  private reserve(extra: number): void {
    if (this.used + extra > this.bytes.length) {
      let n = this.bytes.length * 2;
      while (n < this.used + extra) n *= 2;
      const b = Buffer.alloc(n);
      this.bytes.copy(b, 0, 0, this.used);
      this.bytes = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    if (this.length + 2 > this.offsets.length) this.offsets = grow(this.offsets, this.length + 2);
  }
  /** Appends bytes [start, end) of `src` (valid UTF-8). */
  pushBytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    if (n < 512) {
      // a subarray per value (or Buffer.copy's) costs more for all but long strings
      this.used = copyBytes(src, start, end, this.bytes, this.view, this.used);
    } else {
      this.bytes.set(src.subarray(start, end), this.used);
      this.used += n;
    }
    this.offsets[++this.length] = this.used;
    this.valid.set(this.length - 1, true);
  }
  /** Appends a latin1-decoded string's bytes as they are (the bytes were validated as UTF-8). */
  pushLatin1(s: string): void {
    this.reserve(s.length);
    this.used += this.bytes.write(s, this.used, "latin1");
    this.offsets[++this.length] = this.used;
    this.valid.set(this.length - 1, true);
  }
  /** Appends a JS string, encoded as UTF-8. */
  pushString(s: string): void {
    this.reserve(s.length * 3);
    const r = encoder.encodeInto(s, this.bytes.subarray(this.used));
    this.used += r.written;
    this.offsets[++this.length] = this.used;
    this.valid.set(this.length - 1, true);
  }
  pushNull(): void {
    this.reserve(0);
    this.offsets[++this.length] = this.used;
    this.valid.set(this.length - 1, false);
  }
  /** Back to no rows, keeping the capacity (the Data of an earlier finish() is overwritten). */
  reset(): void {
    this.length = 0;
    this.used = 0;
    this.valid.reset();
  }
  finish(): Data<Utf8> {
    const n = this.length;
    return makeData({
      type: new Utf8(),
      length: n,
      nullCount: this.valid.nulls,
      valueOffsets: this.offsets.subarray(0, n + 1),
      data: new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.used),
      nullBitmap: this.valid.bitmap(n),
    });
  }
}

/** A Utf8 column of `n` copies of `value` (a constant column: capture, format, arch, …). */
function repeatUtf8(value: Uint8Array, n: number, bytes: ScratchU8, offs: ScratchI32): Data<Utf8> {
  const len = value.length;
  const data = bytes.get(len * n, 0);
  if (n > 0) {
    data.set(value, 0);
    // doubling copies: log2(n) native copies instead of n small ones
    for (let filled = len; filled < data.length; filled *= 2)
      data.copyWithin(filled, 0, Math.min(filled, data.length - filled));
  }
  const offsets = offs.get(n + 1, false);
  for (let i = 0; i <= n; i++) offsets[i] = i * len;
  return makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data });
}

/** Dictionary<Utf8, Int32> column with indices assigned in first-seen order. */
export class DictBuilder {
  private readonly index = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly idx = new Int32Builder();
  private last: string | null = null;
  private lastK = -1;
  private readonly outBytes = new ScratchU8();
  private readonly outOffsets = new ScratchI32();
  get length(): number {
    return this.idx.length;
  }
  push(s: string): void {
    if (s === this.last) {
      this.idx.push(this.lastK);
      return;
    }
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.values.length;
      this.index.set(s, k);
      this.values.push(s);
    }
    this.last = s;
    this.lastK = k;
    this.idx.push(k);
  }
  pushNull(): void {
    this.idx.pushNull();
  }
  /** The distinct values pushed since the last reset (rows are never removed: all are in the column). */
  distinct(): readonly string[] {
    return this.values;
  }
  /** Back to no rows and no values, keeping the capacity. */
  reset(): void {
    this.index.clear();
    this.values.length = 0;
    this.idx.reset();
    this.last = null;
    this.lastK = -1;
  }
  /** The column as dictionary indices and values (first-seen order), for the Parquet writer. */
  finishDict(): { indices: Data<Int32>; values: readonly string[] } {
    return { indices: this.idx.finish(), values: this.values };
  }
  /**
   * Lays the column out as plain Utf8 (values repeated per row). parquet-wasm re-encodes Arrow
   * dictionary arrays slowly (measured ~25 ms per 140k rows and column); plain values with Parquet
   * dictionary encoding are written in half the time and read the same.
   */
  finishUtf8(): Data<Utf8> {
    const n = this.idx.length;
    const encoded = this.values.map((v) => Buffer.from(v, "utf8"));
    const indices = this.idx.finish();
    const keys = indices.values;
    // Arrow normalises a missing bitmap to an empty array: only use it when there are nulls
    const valid = indices.nullCount > 0 ? indices.nullBitmap : undefined;
    if (encoded.length === 1 && !valid) return repeatUtf8(encoded[0]!, n, this.outBytes, this.outOffsets);
    const lens = encoded.map((b) => b.length);
    let total = 0;
    for (let i = 0; i < n; i++) if (!valid || (valid[i >> 3]! >> (i & 7)) & 1) total += lens[keys[i]!]!;
    const data = this.outBytes.get(total, 0);
    const offsets = this.outOffsets.get(n + 1, false);
    offsets[0] = 0;
    let u = 0;
    for (let i = 0; i < n; i++) {
      if (!valid || (valid[i >> 3]! >> (i & 7)) & 1) {
        const b = encoded[keys[i]!]!;
        for (let j = 0; j < b.length; j++) data[u++] = b[j]!;
      }
      offsets[i + 1] = u;
    }
    return makeData({
      type: new Utf8(),
      length: n,
      nullCount: indices.nullCount,
      nullBitmap: valid,
      valueOffsets: offsets,
      data,
    });
  }
}
