/**
 * Writes Arrow data as Parquet with parquet-wasm (zstd), atomically: temp file, then rename.
 * Writer settings are fixed so that the same rows give the same bytes.
 */
import { DataType, RecordBatch, Table as ArrowTable, tableToIPC, type Schema } from "apache-arrow";
import * as pq from "parquet-wasm/node";
import { DICTIONARY_COLUMNS, EVENTS_SCHEMA } from "../schemas/events.ts";
import { batchToIpcStream } from "../stages/columns/ipc-stream.ts";
import {
  encodeColumns,
  encodeParquet,
  type ColumnInput,
  type WriteOptions,
} from "../stages/columns/parquet/write.ts";
import { ZSTD } from "./zstd.ts";

const ROW_GROUP = 1 << 20;

/**
 * Columns queries filter on: they keep row-group min/max statistics for DuckDB's pruning. Computing
 * statistics for every column was a quarter of the Parquet write time (measured).
 */
const PRUNING = new Set([
  "syscall",
  "phase",
  "comm",
  "ts_ns",
  "pid",
  "tid",
  "nr",
  "seq",
  "image",
  "run",
  "file",
  "line",
]);

/**
 * Measured on a 16 MiB piece of the redis capture: delta encoding for integers and no dictionary
 * for free text are 3-10x cheaper than the defaults; chunk-level statistics (only where they
 * prune) cost a fraction of page statistics.
 */
function props(schema: Schema): pq.WriterProperties {
  let b = new pq.WriterPropertiesBuilder()
    .setCompression(pq.Compression.ZSTD)
    .setMaxRowGroupSize(ROW_GROUP)
    .setStatisticsEnabled(pq.EnabledStatistics.None)
    .setCreatedBy("sandmine (parquet-wasm 0.8)");
  for (const f of schema.fields) {
    if (PRUNING.has(f.name)) b = b.setColumnStatisticsEnabled(f.name, pq.EnabledStatistics.Chunk);
    if (DataType.isInt(f.type)) {
      b = b
        .setColumnDictionaryEnabled(f.name, false)
        .setColumnEncoding(f.name, pq.Encoding.DELTA_BINARY_PACKED);
    } else if (DataType.isUtf8(f.type)) {
      // plain + zstd beats dictionary encoding here even for low-cardinality columns (measured)
      b = b.setColumnDictionaryEnabled(f.name, false);
    }
  }
  return b.build();
}

/**
 * Encodes an Arrow table as Parquet bytes. A record batch reaches parquet-wasm as an IPC stream
 * written straight from its buffers (stages/columns/ipc-stream.ts), not through arrow-js's writer.
 */
export function toParquet(table: ArrowTable | RecordBatch): Uint8Array {
  // parquet-wasm copies the stream into its memory at once: the buffer can be reused
  const ipc = table instanceof RecordBatch ? batchToIpcStream(table, true) : tableToIPC(table, "stream");
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), props(table.schema));
}

const EVENTS_OPTIONS: WriteOptions = {
  codec: ZSTD,
  statistics: new Set(EVENTS_SCHEMA.fields.map((f) => f.name).filter((n) => PRUNING.has(n))),
  dictionary: DICTIONARY_COLUMNS,
  createdBy: "sandmine",
};

/**
 * Encodes events as Parquet with sandmine's own writer (stages/columns/parquet), from the column
 * builders' output or from a record batch (the same rows give the same bytes either way). It
 * replaced parquet-wasm for events, the bulk of every dataset: 2.3 µs → … per row (measured in
 * docs/benchmarks.md). Needs `loadZstd()` first.
 */
export function eventsToParquet(events: RecordBatch | readonly ColumnInput[], rows?: number): Uint8Array {
  if (events instanceof RecordBatch) return encodeParquet(events, EVENTS_OPTIONS);
  return encodeColumns(EVENTS_SCHEMA, rows!, events, EVENTS_OPTIONS);
}
