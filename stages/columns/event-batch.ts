/**
 * Builds one Arrow record batch of the `events` schema, row by row, without boxing.
 */
import {
  RecordBatch,
  Struct,
  makeData,
  type Data,
  type Dictionary,
  type Int32,
  type Utf8,
} from "apache-arrow";
import { EVENTS_SCHEMA, EVENT_COLUMNS, type EventColumn } from "../../schemas/events.ts";
import { BoolBuilder, DictBuilder, Int32Builder, Int64Builder, Utf8Builder } from "./builders.ts";

/** The builders of every events column; callers push exactly one value per column per row. */
export class EventBatch {
  readonly capture = new DictBuilder();
  readonly format = new DictBuilder();
  readonly seq = new Int64Builder();
  readonly ts_ns = new Int64Builder();
  readonly pid = new Int32Builder();
  readonly tid = new Int32Builder();
  readonly comm = new DictBuilder();
  readonly container_id = new DictBuilder();
  readonly phase = new DictBuilder();
  readonly syscall = new DictBuilder();
  readonly nr = new Int32Builder();
  readonly arch = new DictBuilder();
  readonly args_raw = new Utf8Builder();
  readonly arg0 = new Int64Builder();
  readonly arg1 = new Int64Builder();
  readonly arg2 = new Int64Builder();
  readonly arg3 = new Int64Builder();
  readonly arg4 = new Int64Builder();
  readonly arg5 = new Int64Builder();
  readonly path = new Utf8Builder();
  readonly path2 = new Utf8Builder();
  readonly fd_path = new Utf8Builder();
  readonly fd_deleted = new BoolBuilder();
  readonly sa_family = new Int32Builder();
  readonly unknown_syms = new Utf8Builder();
  readonly ret = new Int64Builder();
  readonly ret_path = new Utf8Builder();
  readonly errno = new Int32Builder();
  readonly errno_name = new DictBuilder();
  readonly duration_ns = new Int64Builder();
  readonly unfinished = new BoolBuilder();
  readonly resumed = new BoolBuilder();

  /** The argument builders in kernel order. */
  readonly args: readonly Int64Builder[] = [this.arg0, this.arg1, this.arg2, this.arg3, this.arg4, this.arg5];

  get length(): number {
    return this.seq.length;
  }

  /** Finishes every column into one record batch with the declared schema. */
  toRecordBatch(): RecordBatch {
    const n = this.length;
    const children: Data[] = EVENTS_SCHEMA.fields.map((f) => {
      const b = this[f.name as EventColumn];
      if (b.length !== n) throw new Error(`events column ${f.name} has ${b.length} values, expected ${n}`);
      return b instanceof DictBuilder
        ? b.finish(EVENT_COLUMNS[f.name as EventColumn] as Dictionary<Utf8, Int32>)
        : b.finish();
    });
    const data = makeData({ type: new Struct(EVENTS_SCHEMA.fields), length: n, nullCount: 0, children });
    return new RecordBatch(EVENTS_SCHEMA, data);
  }
}
