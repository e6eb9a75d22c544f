/** Tests' one way to run the strace parser over text: a whole capture file, default state. */
import type { RecordBatch } from "apache-arrow";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { StraceParser } from "../../stages/strace/parser.ts";

/** A parser over `batch` for a whole file of capture `capture` (`fileTid`: -1 unless `-ff`). */
export function straceParser(batch: EventBatch, capture = "c", fileTid = -1): StraceParser {
  return new StraceParser(
    {
      capture,
      fileTid,
      firstLine: 1,
      startDay: 0,
      defaultState: { pos: -Infinity, phase: "unknown", comm: null, arch: "x86_64" },
      timelines: new Map(),
      atEof: true,
    },
    batch,
  );
}

/** The rows the parser makes of `text` (into `batch`, reset first). */
export function parseToBatch(text: string, fileTid = -1, batch = new EventBatch()): RecordBatch {
  batch.reset();
  const parser = straceParser(batch, "c", fileTid);
  parser.parseText(text, /[\x80-\xff]/.test(text));
  parser.finish();
  return batch.toRecordBatch();
}
