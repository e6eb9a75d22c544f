/**
 * Packs a piece's rejects as an Arrow IPC stream of the rejects schema.
 */
import { RecordBatch, Struct, Table, makeData, tableToIPC } from "apache-arrow";
import { REJECTS_SCHEMA, REJECT_RAW_LIMIT } from "../../schemas/rejects.ts";
import { Int64Builder, Utf8Builder } from "../../stages/columns/builders.ts";
import type { Reject } from "../../stages/strace/parser.ts";

/** Encodes rejects (line-based) of one or more files of a run to IPC bytes. */
export function rejectsToIpc(
  image: string,
  run: string,
  files: readonly { file: string; rejects: readonly Reject[] }[],
): Uint8Array {
  const b = {
    image: new Utf8Builder(),
    run: new Utf8Builder(),
    file: new Utf8Builder(),
    line: new Int64Builder(),
    offset: new Int64Builder(),
    reason: new Utf8Builder(),
    raw: new Utf8Builder(),
    raw_bytes: new Int64Builder(),
  };
  let n = 0;
  for (const { file, rejects } of files)
    for (const r of rejects) {
      n++;
      b.image.pushString(image);
      b.run.pushString(run);
      b.file.pushString(file);
      b.line.push(r.line);
      if ("offset" in r && typeof r.offset === "number") b.offset.push(r.offset);
      else b.offset.pushNull();
      b.reason.pushString(r.reason);
      const bytes = Buffer.byteLength(r.raw);
      b.raw.pushString(
        bytes > REJECT_RAW_LIMIT ? Buffer.from(r.raw).subarray(0, REJECT_RAW_LIMIT).toString() : r.raw,
      );
      b.raw_bytes.push(bytes);
    }
  const children = REJECTS_SCHEMA.fields.map((f) => b[f.name as keyof typeof b].finish());
  const data = makeData({
    type: new Struct(REJECTS_SCHEMA.fields),
    length: n,
    nullCount: 0,
    children,
  });
  return tableToIPC(new Table(new RecordBatch(REJECTS_SCHEMA, data)), "stream");
}
