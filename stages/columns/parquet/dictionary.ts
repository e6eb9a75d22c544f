/**
 * Dictionary encoding of a string column: the distinct values in first-seen row order (the order
 * the column builders give them indices in, so a batch gives the same dictionary whether it comes
 * from the builders or from Arrow strings), the dictionary page body, and the data page's indices
 * as RLE runs of the hybrid encoding.
 */
import { Int32, makeData, type Data } from "apache-arrow";
import { ownBitmap, valid } from "./column.ts";
import { ByteSink } from "./sink.ts";

/** A dictionary column: per row an index into `values` (null rows have a null index). */
export interface DictColumn {
  indices: Data; // Int32
  values: readonly string[];
}

/** The dictionary of a Utf8 column (first-seen order), for batches that were not built here. */
export function dictionaryOf(data: Data): DictColumn {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array;
  const s = data.values as Uint8Array;
  const bitmap = data.nullCount > 0 ? (data.nullBitmap as Uint8Array) : null;
  const dec = new TextDecoder();
  const index = new Map<string, number>();
  const values: string[] = [];
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = data.offset + i;
    if (bitmap !== null && !valid(bitmap, r)) continue;
    const v = dec.decode(s.subarray(offsets[r]!, offsets[r + 1]!));
    let k = index.get(v);
    if (k === undefined) {
      k = values.length;
      index.set(v, k);
      values.push(v);
    }
    keys[i] = k;
  }
  const indices = makeData({
    type: new Int32(),
    length: n,
    nullCount: data.nullCount,
    data: keys,
    ...(bitmap === null ? {} : { nullBitmap: ownBitmap(data) }),
  });
  return { indices, values };
}

/** The PLAIN page body of the dictionary's values; their UTF-8 bytes. */
export function dictionaryPage(values: readonly string[], out: ByteSink): Uint8Array[] {
  out.reset();
  const enc = new TextEncoder();
  const bytes = values.map((v) => enc.encode(v));
  for (const b of bytes) {
    const at = out.reserve(4);
    out.setU32(at, b.length);
    out.copy(b);
  }
  return bytes;
}

/** Bits needed for indices below `size` (at least 1). */
export function bitWidth(size: number): number {
  let w = 1;
  while (1 << w < size) w++;
  return w;
}

/**
 * Appends the indices of the non-null rows as the hybrid encoding's RLE runs (one run per stretch
 * of equal indices), after their bit-width byte.
 */
export function indexRuns(indices: Data, bitmap: Uint8Array | null, width: number, out: ByteSink): void {
  out.byte(width);
  const keys = (indices.values as Int32Array).subarray(indices.offset, indices.offset + indices.length);
  const n = indices.length;
  const wide = (width + 7) >> 3;
  let run = 0;
  let cur = -1;
  const flush = () => {
    if (run === 0) return;
    out.varint(run * 2);
    for (let b = 0; b < wide; b++) out.byte((cur >>> (8 * b)) & 0xff);
  };
  for (let i = 0; i < n; i++) {
    if (bitmap !== null && !valid(bitmap, i)) continue;
    const k = keys[i]!;
    if (k === cur) {
      run++;
      continue;
    }
    flush();
    cur = k;
    run = 1;
  }
  flush();
}
