/**
 * Arrow data as Parquet with parquet-wasm (zstd): the dataset's small tables (runs, rejects,
 * signatures, results). Events have their own writer (events-parquet.ts). Writer settings are
 * fixed so that the same rows give the same bytes.
 */
import { DataType, RecordBatch, Table as ArrowTable, tableToIPC, type Schema } from "apache-arrow";
import * as pq from "parquet-wasm/node";
import { batchToIpcStream } from "../stages/columns/ipc-stream.ts";

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
