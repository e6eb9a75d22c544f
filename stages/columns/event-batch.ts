/**
 * Builds one Arrow record batch of the `events` schema, row by row, without boxing.
 */
import { RecordBatch, Struct, makeData, type Data } from "apache-arrow";
import { EVENTS_SCHEMA, type EventColumn } from "../../schemas/events.ts";
import { DictBuilder, Int32Builder, Int64Builder, Utf8Builder } from "./builders.ts";
import type { ColumnInput } from "./parquet/write.ts";
import { SparseBool, SparseDict, SparseInt32, SparseInt64, SparseUtf8 } from "./sparse.ts";

/**
 * The builders of every events column. Dense columns get exactly one push per row; sparse
 * (mostly null) columns are only set for the rows that have a value, at row index `seq.length - 1`.
 */
export class EventBatch {
  readonly capture = new DictBuilder();
  readonly format = new DictBuilder();
  readonly seq = new Int64Builder();
  readonly ts_ns = new Int64Builder();
  readonly pid = new Int32Builder();
  readonly tid = new Int32Builder();
  readonly comm = new DictBuilder();
  readonly container_id = new SparseDict();
  readonly phase = new DictBuilder();
  readonly syscall = new DictBuilder();
  readonly nr = new Int32Builder();
  readonly arch = new DictBuilder();
  readonly args_raw = new Utf8Builder();
  readonly arg0 = new SparseInt64();
  readonly arg1 = new SparseInt64();
  readonly arg2 = new SparseInt64();
  readonly arg3 = new SparseInt64();
  readonly arg4 = new SparseInt64();
  readonly arg5 = new SparseInt64();
  readonly path = new SparseUtf8();
  readonly path2 = new SparseUtf8();
  readonly fd_path = new SparseUtf8();
  readonly fd_deleted = new SparseBool();
  readonly sa_family = new SparseInt32();
  readonly unknown_syms = new SparseUtf8();
  readonly ret = new Int64Builder();
  readonly ret_path = new SparseUtf8();
  readonly errno = new SparseInt32();
  readonly errno_name = new SparseDict();
  readonly duration_ns = new Int64Builder();
  readonly unfinished = new SparseBool();
  readonly resumed = new SparseBool();

  /** The argument builders in kernel order. */
  readonly args: readonly SparseInt64[] = [this.arg0, this.arg1, this.arg2, this.arg3, this.arg4, this.arg5];

  get length(): number {
    return this.seq.length;
  }

  /**
   * Empties every column, keeping the capacity they grew to, so that a worker can parse piece
   * after piece into one batch. Batches from an earlier `toRecordBatch` are overwritten.
   */
  reset(): void {
    for (const f of EVENTS_SCHEMA.fields) this[f.name as EventColumn].reset();
  }

  /**
   * Finishes every column for the Parquet writer: the dictionary columns as indices and values
   * (not laid out as strings per row), the sparse ones as their rows and values (not laid out
   * per row), the others as Arrow data.
   */
  parquetColumns(): ColumnInput[] {
    const n = this.length;
    return EVENTS_SCHEMA.fields.map((f) => {
      const b = this[f.name as EventColumn];
      if (b instanceof SparseDict) return { dict: b.finishDict(n) };
      if (b instanceof DictBuilder) return { dict: b.finishDict() };
      if (
        b instanceof SparseInt64 ||
        b instanceof SparseInt32 ||
        b instanceof SparseUtf8 ||
        b instanceof SparseBool
      )
        return { sparse: b.parquet(n) };
      if (b.length !== n) throw new Error(`events column ${f.name} has ${b.length} values, expected ${n}`);
      return { data: b.finish() };
    });
  }

  /** Finishes every column into one record batch with the declared schema. */
  toRecordBatch(): RecordBatch {
    const n = this.length;
    const children: Data[] = EVENTS_SCHEMA.fields.map((f) => {
      const b = this[f.name as EventColumn];
      if (b instanceof SparseDict) return b.finishUtf8(n);
      if (
        b instanceof SparseInt64 ||
        b instanceof SparseInt32 ||
        b instanceof SparseUtf8 ||
        b instanceof SparseBool
      ) {
        return b.finish(n);
      }
      if (b.length !== n) throw new Error(`events column ${f.name} has ${b.length} values, expected ${n}`);
      return b instanceof DictBuilder ? b.finishUtf8() : b.finish();
    });
    const data = makeData({ type: new Struct(EVENTS_SCHEMA.fields), length: n, nullCount: 0, children });
    return new RecordBatch(EVENTS_SCHEMA, data);
  }
}
