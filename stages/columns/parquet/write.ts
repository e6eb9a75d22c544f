/**
 * Encodes columns as a Parquet file: one row group, one data page per column (v1, definition
 * levels RLE/bit-packed), integers delta-packed (or PLAIN), other values PLAIN, or a dictionary
 * page and RLE index runs for the dictionary columns; each page compressed by the codec given, chunk min/max statistics for the
 * columns asked, the schema's metadata as key-value metadata. The bytes depend only on the rows,
 * the options and the codec, so the same rows give the same file however they were built.
 */
import { Type, type Data, type RecordBatch, type Schema } from "apache-arrow";
import { encodeColumn, ENCODING, levels, ownBitmap, PHYSICAL } from "./column.ts";
import { bitWidth, dictionaryOf, dictionaryPage, indexRuns, type DictColumn } from "./dictionary.ts";
import { ByteSink } from "./sink.ts";
import type { SparseColumn } from "../sparse.ts";
import { encodeSparse } from "./sparse-column.ts";
import { T, ThriftWriter } from "./thrift.ts";

/** A page compressor and the Parquet codec number it implements (format/CompressionCodec). */
export interface Codec {
  id: number;
  compress(bytes: Uint8Array): Uint8Array;
}

export const UNCOMPRESSED: Codec = { id: 0, compress: (b) => b.slice() };

export interface WriteOptions {
  codec: Codec;
  /** columns that get chunk min/max statistics (DuckDB prunes row groups with them) */
  statistics: ReadonlySet<string>;
  /** string columns written with a dictionary */
  dictionary: ReadonlySet<string>;
  createdBy: string;
}

/** A column to write: Arrow data, a sparse builder's rows and values, or (for a dictionary column) indices and values. */
export type ColumnInput = { data: Data } | { sparse: SparseColumn } | { dict: DictColumn };

const PAGE = { DATA: 0, DICTIONARY: 2 } as const;
const REPETITION = { REQUIRED: 0, OPTIONAL: 1 } as const;
const CONVERTED_UTF8 = 0;
const MAGIC = new TextEncoder().encode("PAR1");

const body = new ByteSink();

interface Chunk {
  name: string;
  physical: number;
  nullable: boolean;
  utf8: boolean;
  offset: number;
  /** offset of the data page (after the dictionary page, if any) */
  dataOffset: number;
  dictionary: boolean;
  /** encoding of the data page's values */
  encoding: number;
  /** headers + pages, compressed and not */
  compressed: number;
  uncompressed: number;
  values: number;
  nulls: number;
  min?: Uint8Array;
  max?: Uint8Array;
  stats: boolean;
}

/** The Parquet bytes of `batch` (the dictionary columns' dictionaries made from their strings). */
export function encodeParquet(batch: RecordBatch, o: WriteOptions): Uint8Array {
  const columns: ColumnInput[] = batch.schema.fields.map((f, c) => {
    const data = batch.data.children[c]!;
    return o.dictionary.has(f.name) && data.type.typeId === Type.Utf8
      ? { dict: dictionaryOf(data) }
      : { data };
  });
  return encodeColumns(batch.schema, batch.numRows, columns, o);
}

/** The Parquet bytes of `columns` (in `schema`'s order), `rows` rows. */
export function encodeColumns(
  schema: Schema,
  rows: number,
  columns: readonly ColumnInput[],
  o: WriteOptions,
): Uint8Array {
  const parts: Uint8Array[] = [MAGIC];
  let offset = MAGIC.length;
  const chunks: Chunk[] = [];
  schema.fields.forEach((f, c) => {
    const input = columns[c]!;
    const stats = o.statistics.has(f.name);
    const start = offset;
    let compressed = 0;
    let uncompressed = 0;
    const add = ([a, b]: [number, number]) => {
      compressed += a;
      uncompressed += b;
      offset += a;
    };
    if ("dict" in input) {
      const { indices, values } = input.dict;
      const bytes = dictionaryPage(values, body);
      add(dictPage(parts, body.bytes(), values.length, o));
      const dataOffset = offset;
      body.reset();
      const bitmap = indices.nullCount > 0 ? ownBitmap(indices) : null;
      if (f.nullable) levels(bitmap, indices.length, body);
      indexRuns(indices, bitmap, bitWidth(values.length), body);
      add(dataPage(parts, body.bytes(), indices.length, ENCODING.RLE_DICTIONARY, o));
      const [min, max] = stats && bytes.length > 0 ? extremes(bytes) : [undefined, undefined];
      chunks.push({
        name: f.name,
        physical: PHYSICAL.BYTE_ARRAY,
        nullable: f.nullable,
        utf8: true,
        dictionary: true,
        encoding: ENCODING.RLE_DICTIONARY,
        values: indices.length,
        nulls: indices.nullCount,
        ...(min && max ? { min, max } : {}),
        stats,
        offset: start,
        dataOffset,
        compressed,
        uncompressed,
      });
      return;
    }
    if ("sparse" in input && stats)
      throw new Error(`Parquet writer: no statistics for the sparse column ${f.name}`);
    const enc =
      "sparse" in input
        ? encodeSparse(input.sparse, f.nullable, body)
        : encodeColumn(input.data, f.nullable, stats, body);
    add(dataPage(parts, body.bytes(), enc.values, enc.encoding, o));
    const chunk = {
      name: f.name,
      physical: enc.physical,
      nullable: f.nullable,
      utf8: "sparse" in input ? input.sparse.values.kind === "utf8" : input.data.type.typeId === Type.Utf8,
      dictionary: false,
      encoding: enc.encoding,
      values: enc.values,
      nulls: enc.nulls,
      ...(enc.min && enc.max ? { min: enc.min, max: enc.max } : {}),
      stats,
    };
    chunks.push({ ...chunk, offset: start, dataOffset: start, compressed, uncompressed });
  });
  const footer = fileMetadata(schema, rows, chunks, o).bytes();
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(MAGIC, 4);
  parts.push(footer, tail);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function dataPage(
  parts: Uint8Array[],
  raw: Uint8Array,
  values: number,
  encoding: number,
  o: WriteOptions,
): [number, number] {
  return pageOf(parts, raw, o, PAGE.DATA, (h) =>
    h.struct(5, (d) => d.i32(1, values).i32(2, encoding).i32(3, ENCODING.RLE).i32(4, ENCODING.RLE)),
  );
}

function dictPage(parts: Uint8Array[], raw: Uint8Array, values: number, o: WriteOptions): [number, number] {
  return pageOf(parts, raw, o, PAGE.DICTIONARY, (h) =>
    h.struct(7, (d) => d.i32(1, values).i32(2, ENCODING.PLAIN)),
  );
}

/** Appends a page (header, then the compressed body); returns its bytes as written and uncompressed. */
function pageOf(
  parts: Uint8Array[],
  raw: Uint8Array,
  o: WriteOptions,
  type: number,
  header: (h: ThriftWriter) => void,
): [number, number] {
  const packed = o.codec.compress(raw);
  const h = new ThriftWriter();
  h.begin().i32(1, type).i32(2, raw.length).i32(3, packed.length);
  header(h);
  h.end();
  const head = h.bytes().slice();
  parts.push(head, packed);
  return [head.length + packed.length, head.length + raw.length];
}

/** The least and greatest of UTF-8 values (unsigned byte order). */
function extremes(values: readonly Uint8Array[]): [Uint8Array, Uint8Array] {
  let min = values[0]!;
  let max = values[0]!;
  for (const v of values) {
    if (Buffer.compare(v, min) < 0) min = v;
    if (Buffer.compare(v, max) > 0) max = v;
  }
  return [min, max];
}

function fileMetadata(schema: Schema, rows: number, chunks: readonly Chunk[], o: WriteOptions): ThriftWriter {
  const w = new ThriftWriter();
  const enc = new TextEncoder();
  w.begin().i32(1, 1);
  w.field(2, T.LIST).list(T.STRUCT, chunks.length + 1);
  w.begin().string(4, "schema").i32(5, chunks.length).end();
  for (const c of chunks) {
    w.begin()
      .i32(1, c.physical)
      .i32(3, c.nullable ? REPETITION.OPTIONAL : REPETITION.REQUIRED)
      .string(4, c.name);
    if (c.utf8) w.i32(6, CONVERTED_UTF8).struct(10, (l) => l.struct(1, () => {}));
    w.end();
  }
  w.i64(3, rows);
  w.field(4, T.LIST).list(T.STRUCT, 1);
  const total = chunks.reduce((n, c) => n + c.uncompressed, 0);
  const compressed = chunks.reduce((n, c) => n + c.compressed, 0);
  w.begin();
  w.field(1, T.LIST).list(T.STRUCT, chunks.length);
  for (const c of chunks) {
    w.begin()
      .i64(2, c.offset)
      .struct(3, (m) => {
        m.i32(1, c.physical);
        const encodings = [...new Set([ENCODING.PLAIN, ENCODING.RLE, c.encoding])].sort((a, b) => a - b);
        m.field(2, T.LIST).list(T.I32, encodings.length);
        for (const e of encodings) m.i32Value(e);
        m.field(3, T.LIST).list(T.BINARY, 1);
        m.bytesValue(enc.encode(c.name));
        m.i32(4, o.codec.id)
          .i64(5, c.values)
          .i64(6, c.uncompressed)
          .i64(7, c.compressed)
          .i64(9, c.dataOffset);
        if (c.dictionary) m.i64(11, c.offset);
        if (c.stats) {
          m.struct(12, (s) => {
            s.i64(3, c.nulls);
            if (c.max && c.min) s.binary(5, c.max).binary(6, c.min);
          });
        }
      })
      .end();
  }
  w.i64(2, total)
    .i64(3, rows)
    .i64(5, chunks[0]?.offset ?? MAGIC.length)
    .i64(6, compressed);
  w.field(7, T.I16).i32Value(0); // ordinal
  w.end();
  const meta = [...schema.metadata.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (meta.length > 0) {
    w.field(5, T.LIST).list(T.STRUCT, meta.length);
    for (const [k, v] of meta) w.begin().string(1, k).string(2, v).end();
  }
  w.string(6, o.createdBy);
  // TYPE_DEFINED_ORDER for every column: readers may use min_value/max_value of strings
  w.field(7, T.LIST).list(T.STRUCT, chunks.length);
  for (let i = 0; i < chunks.length; i++)
    w.begin()
      .struct(1, () => {})
      .end();
  w.end();
  return w;
}
