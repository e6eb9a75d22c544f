/**
 * Events as Parquet, with sandmine's own writer (stages/columns/parquet) and zstd: the bulk of
 * every dataset. Its own module, free of parquet-wasm, so the ingest workers do not load that
 * (≈ 90 ms of import per thread, measured, and its WebAssembly memory).
 */
import { RecordBatch } from "apache-arrow";
import { DICTIONARY_COLUMNS, EVENTS_SCHEMA } from "../schemas/events.ts";
import {
  encodeColumns,
  encodeParquet,
  type ColumnInput,
  type WriteOptions,
} from "../stages/columns/parquet/write.ts";
import { ZSTD } from "./zstd.ts";

/**
 * Columns queries filter on keep chunk min/max statistics for DuckDB's pruning (the same list as
 * pipeline/parquet.ts PRUNING, which writes the other tables).
 */
const STATISTICS = new Set(["syscall", "phase", "comm", "ts_ns", "pid", "tid", "nr", "seq"]);

const EVENTS_OPTIONS: WriteOptions = {
  codec: ZSTD,
  statistics: STATISTICS,
  dictionary: DICTIONARY_COLUMNS,
  createdBy: "sandmine",
};

/**
 * Encodes events as Parquet with sandmine's own writer (stages/columns/parquet), from the column
 * builders' output or from a record batch (the same rows give the same bytes either way). Needs
 * `loadZstd()` first.
 */
export function eventsToParquet(events: RecordBatch | readonly ColumnInput[], rows?: number): Uint8Array {
  if (events instanceof RecordBatch) return encodeParquet(events, EVENTS_OPTIONS);
  return encodeColumns(EVENTS_SCHEMA, rows!, events, EVENTS_OPTIONS);
}
