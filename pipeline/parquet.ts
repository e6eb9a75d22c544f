/**
 * Writes Arrow data as Parquet with parquet-wasm (zstd), atomically: temp file, then rename.
 * Writer settings are fixed so that the same rows give the same bytes.
 */
import { renameSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { RecordBatch, Table as ArrowTable, tableToIPC } from "apache-arrow";
import * as pq from "parquet-wasm/node";

const ROW_GROUP = 1 << 20;

function props(): pq.WriterProperties {
  return new pq.WriterPropertiesBuilder()
    .setCompression(pq.Compression.ZSTD)
    .setMaxRowGroupSize(ROW_GROUP)
    .setCreatedBy("sandmine (parquet-wasm 0.8)")
    .build();
}

/** Encodes an Arrow table as Parquet bytes. */
export function toParquet(table: ArrowTable | RecordBatch): Uint8Array {
  const t = table instanceof RecordBatch ? new ArrowTable(table) : table;
  const wasmTable = pq.Table.fromIPCStream(tableToIPC(t, "stream"));
  return pq.writeParquet(wasmTable, props());
}

/** Writes bytes to `file` via `file.<pid>.tmp` and a rename. */
export function writeAtomic(file: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.floor(Math.random() * 1e9)}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/** Writes a record batch of events as one Parquet part. */
export function writeEventsParquet(rb: RecordBatch, file: string): void {
  writeAtomic(file, toParquet(rb));
}
