/**
 * batchToIpcStream writes the same IPC stream as arrow-js's tableToIPC, byte for byte: on event
 * batches from real lines (dense, sparse and constant columns, nulls, booleans), an empty batch,
 * sliced batches (which go through arrow-js) and the rejects table.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { Table, tableFromArrays, tableToIPC, type RecordBatch } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { batchToIpcStream } from "../../stages/columns/ipc-stream.ts";
import { REPO_ROOT, listFiles } from "../util/datasets.ts";
import { parseToBatch } from "../util/strace-parse.ts";

const events = (text: string): RecordBatch => parseToBatch(text);

function same(rb: RecordBatch): void {
  const want = Buffer.from(tableToIPC(new Table(rb), "stream"));
  expect(Buffer.from(batchToIpcStream(rb)).equals(want)).toBe(true);
  // into the reused buffer, which may hold a longer stream from before
  expect(Buffer.from(batchToIpcStream(rb, true)).equals(want)).toBe(true);
}

describe("batchToIpcStream", () => {
  it("equals tableToIPC on the bundled captures' events", () => {
    const dir = path.join(REPO_ROOT, "datasets", "captures", "nginx", "run-01");
    const files = listFiles(dir).filter((f) => f.endsWith(".gz"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) same(events(zlib.gunzipSync(fs.readFileSync(f)).toString("latin1")));
  });

  it("equals tableToIPC on an empty batch and on nulls of every kind", () => {
    same(events(""));
    same(events("read(3, <unfinished ...>\n--- SIGCHLD {} ---\nclose(4</x (deleted)>) = ?\n"));
  });

  it("falls back to arrow-js for sliced batches, and writes other flat schemas", () => {
    const rb = events("close(3) = 0\nclose(4) = -1 EBADF (Bad file descriptor)\nclose(5) = 0\n");
    same(rb.slice(1, 3));
    const t = tableFromArrays({ a: Int32Array.from([1, 2, 3]), b: ["x", "yy", "zzz"] });
    same(t.batches[0]!);
  });
});
