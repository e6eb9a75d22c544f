/**
 * Concatenates Arrow record batches of one flat schema (Utf8, Int8–Int64, Bool columns: the event
 * and reject tables) into a single contiguous batch. The Parquet writer cuts pages at boundaries
 * that depend on where its input batches start and end, so rows that must give the same bytes
 * whatever batches they came in are written from one batch.
 */
import {
  Bool,
  DataType,
  Int,
  makeData,
  RecordBatch,
  Struct,
  Utf8,
  type Data,
  type Schema,
} from "apache-arrow";

/** The validity bitmap of the concatenation, or undefined when there are no nulls. */
function concatValidity(chunks: readonly Data[], length: number): Uint8Array | undefined {
  if (chunks.every((c) => c.nullCount === 0)) return undefined;
  const bits = new Uint8Array((length + 7) >> 3);
  let at = 0;
  for (const c of chunks) {
    const map = c.nullBitmap;
    if (c.nullCount === 0 || !map || map.length === 0) {
      for (let i = 0; i < c.length; i++, at++) bits[at >> 3]! |= 1 << (at & 7);
      continue;
    }
    for (let i = 0; i < c.length; i++, at++) {
      const j = c.offset + i; // validity bitmaps are not sliced: the offset counts bits
      if ((map[j >> 3]! >> (j & 7)) & 1) bits[at >> 3]! |= 1 << (at & 7);
    }
  }
  return bits;
}

function nullsOf(chunks: readonly Data[]): number {
  return chunks.reduce((n, c) => n + c.nullCount, 0);
}

function concatInt(type: Int, chunks: readonly Data<Int>[], length: number): Data {
  const Ctor = type.ArrayType as unknown as new (n: number) => Int32Array;
  const values = new Ctor(length);
  let at = 0;
  for (const c of chunks) {
    // a slice's values start at its first row (arrow-js slices fixed-width buffers)
    values.set((c.values as unknown as Int32Array).subarray(0, c.length), at);
    at += c.length;
  }
  return makeData({
    type,
    length,
    nullCount: nullsOf(chunks),
    nullBitmap: concatValidity(chunks, length),
    data: values as unknown as Int["TArray"],
  });
}

function concatBool(type: Bool, chunks: readonly Data<Bool>[], length: number): Data {
  const bits = new Uint8Array((length + 7) >> 3);
  let at = 0;
  for (const c of chunks) {
    const v = c.values;
    for (let i = 0; i < c.length; i++, at++) {
      const j = c.offset + i; // boolean buffers are not sliced: the offset counts bits
      if ((v[j >> 3]! >> (j & 7)) & 1) bits[at >> 3]! |= 1 << (at & 7);
    }
  }
  return makeData({
    type,
    length,
    nullCount: nullsOf(chunks),
    nullBitmap: concatValidity(chunks, length),
    data: bits,
  });
}

function concatUtf8(type: Utf8, chunks: readonly Data<Utf8>[], length: number): Data {
  const offsets = new Int32Array(length + 1);
  let bytes = 0;
  for (const c of chunks) bytes += c.valueOffsets[c.length]! - c.valueOffsets[0]!;
  const values = new Uint8Array(bytes);
  let at = 0;
  let pos = 0;
  for (const c of chunks) {
    // a slice's offsets start at its first row; its values are the whole buffer
    const o = c.valueOffsets;
    const base = o[0]!;
    const end = o[c.length]!;
    values.set(c.values.subarray(base, end), pos);
    for (let i = 1; i <= c.length; i++) offsets[at + i] = pos + o[i]! - base;
    at += c.length;
    pos += end - base;
  }
  return makeData({
    type,
    length,
    nullCount: nullsOf(chunks),
    nullBitmap: concatValidity(chunks, length),
    valueOffsets: offsets,
    data: values,
  });
}

function concatColumn(type: DataType, chunks: readonly Data[], length: number): Data {
  if (DataType.isInt(type)) return concatInt(type, chunks as Data<Int>[], length);
  if (DataType.isBool(type)) return concatBool(type, chunks as Data<Bool>[], length);
  if (DataType.isUtf8(type)) return concatUtf8(type, chunks as Data<Utf8>[], length);
  throw new Error(`internal: cannot concatenate a column of type ${String(type)}`);
}

/** One batch of `schema` holding the rows of `batches` in order (each of the same field types). */
export function concatBatches(schema: Schema, batches: readonly RecordBatch[]): RecordBatch {
  const length = batches.reduce((n, b) => n + b.numRows, 0);
  const children = schema.fields.map((f, i) =>
    concatColumn(
      f.type as DataType,
      batches.map((b) => b.data.children[i]!),
      length,
    ),
  );
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }),
  );
}

/** The rows `order` (indices) of a single batch, as one new batch: a sort's permutation applied. */
export function takeRows(schema: Schema, batch: RecordBatch, order: readonly number[]): RecordBatch {
  // one-row slices concatenated: simple, and rejects (its only use) are few
  return concatBatches(
    schema,
    order.map((i) => batch.slice(i, i + 1)),
  );
}
