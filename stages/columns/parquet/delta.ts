/**
 * DELTA_BINARY_PACKED (Parquet encoding 5) of integer values: blocks of 128 deltas in 4
 * miniblocks, each bit-packed at its own width after the block's least delta. It turns line
 * numbers, timestamps and durations, which change by small steps, into a few bits
 * a value, which zstd then has little left to do on (measured on the perf capture: seq 142 → 0.1
 * KiB per piece). Deltas are kept exact in doubles below 2^51; a column whose deltas are wider
 * (pointers next to small values) is left to PLAIN: the writer gets false and nothing written.
 */
import type { ByteSink } from "./sink.ts";

const BLOCK = 128;
const MINI = 32;
const SAFE = 2 ** 51;
const TWO32 = 4294967296;

/** Every delta of a column, at its value's index (reused; grown to the longest column). */
let ds = new Float64Array(1 << 14);

function room(count: number): Float64Array {
  if (ds.length < count) ds = new Float64Array(Math.max(count, 2 * ds.length));
  return ds;
}

/** 32-bit values. */
export function deltaInt32(values: Int32Array, count: number, out: ByteSink): boolean {
  const d = room(count);
  for (let i = 1; i < count; i++) d[i] = values[i]! - values[i - 1]!;
  const x = values[0]!;
  return encode(count, x >= 0 ? 2 * x : -2 * x - 1, 0, out);
}

/** 64-bit values as (lo, hi) 32-bit halves. */
export function deltaInt64(words: Int32Array, count: number, out: ByteSink): boolean {
  const d = room(count);
  for (let i = 1; i < count; i++) {
    const x =
      (words[2 * i + 1]! - words[2 * i - 1]!) * TWO32 + ((words[2 * i]! >>> 0) - (words[2 * i - 2]! >>> 0));
    if (!(x > -SAFE && x < SAFE)) return false;
    d[i] = x;
  }
  // zigzag of the first value, (x << 1) ^ (x >> 63), on halves
  const lo = words[0]!;
  const hi = words[1]!;
  const sign = hi >> 31;
  return encode(count, ((lo << 1) ^ sign) >>> 0, (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0, out);
}

/**
 * Writes the header (first value as zigzag halves) and the blocks of deltas ds[1..count); on a
 * block whose spread needs more than 32 bits, takes back what it wrote and returns false.
 */
function encode(count: number, firstLo: number, firstHi: number, out: ByteSink): boolean {
  const start = out.length;
  out.varint(BLOCK);
  out.varint(BLOCK / MINI);
  out.varint(count);
  varint64(firstLo, firstHi, out);
  const d = ds;
  for (let b = 1; b < count; b += BLOCK) {
    const e = Math.min(b + BLOCK, count);
    let min = d[b]!;
    let max = min;
    for (let i = b + 1; i < e; i++) {
      const x = d[i]!;
      if (x < min) min = x;
      else if (x > max) max = x;
    }
    if (max - min >= TWO32) {
      out.length = start;
      return false;
    }
    out.varint(min >= 0 ? 2 * min : -2 * min - 1);
    const widthsAt = out.reserve(BLOCK / MINI);
    for (let m = 0; m < BLOCK / MINI; m++) {
      const s = b + m * MINI;
      if (s >= e) {
        out.buf[widthsAt + m] = 0; // no values: no body
        continue;
      }
      const end = Math.min(s + MINI, e);
      let spread = 0;
      for (let i = s; i < end; i++) if (d[i]! - min > spread) spread = d[i]! - min;
      const w = spread === 0 ? 0 : 32 - Math.clz32(spread);
      out.buf[widthsAt + m] = w;
      if (w > 0) pack(s, end, min, w, out);
    }
  }
  return true;
}

/** Bit-packs deltas [s, e) minus `min` at width `w` (1..32), LSB first, padded to 32 values. */
function pack(s: number, e: number, min: number, w: number, out: ByteSink): void {
  const at = out.reserve(4 * w);
  const buf = out.buf;
  buf.fill(0, at, at + 4 * w);
  const d = ds;
  if (w <= 24) {
    // a value below 2^24 shifted by fewer than 8 bits stays within 32 bits
    let acc = 0;
    let nb = 0;
    let k = at;
    for (let i = s; i < e; i++) {
      acc |= (d[i]! - min) << nb;
      nb += w;
      while (nb >= 8) {
        buf[k++] = acc & 0xff;
        acc >>>= 8;
        nb -= 8;
      }
    }
    if (nb > 0) buf[k] = acc & 0xff;
    return;
  }
  let bit = 0;
  for (let i = s; i < e; i++) {
    let v = d[i]! - min; // < 2^32: byte by byte in doubles
    let k = at + (bit >> 3);
    let shift = bit & 7;
    let left = w;
    while (left > 0) {
      const take = Math.min(left, 8 - shift);
      const part = v % (1 << take);
      buf[k]! |= part << shift;
      v = (v - part) / (1 << take);
      left -= take;
      shift = 0;
      k++;
    }
    bit += w;
  }
}

/** The unsigned varint of the 64-bit value with u32 halves (lo, hi). */
function varint64(lo: number, hi: number, out: ByteSink): void {
  while (hi !== 0 || lo >= 0x80) {
    out.byte((lo & 0x7f) | 0x80);
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi = hi >>> 7;
  }
  out.byte(lo);
}
