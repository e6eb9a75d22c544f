/**
 * The typed worker protocol through the real pool and worker: `run` returns the reply type of its
 * task (checked by the compiler), and a worker's error comes back as data and rejects with a
 * UsageError carrying its message.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { UsageError } from "../../pipeline/errors.ts";
import { createPool, type Pool } from "../../pipeline/pool.ts";
import type {
  ParseReply,
  ParseTask,
  ReplyMap,
  ReplyOf,
  ScanReply,
  ScanTask,
  WorkerTask,
} from "../../pipeline/ingest/tasks.ts";

let tmp: string;
let pool: Pool<WorkerTask, ReplyMap>;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-pool-"));
  pool = createPool<WorkerTask, ReplyMap>(new URL("../../pipeline/ingest/worker.ts", import.meta.url), 1);
});
afterAll(async () => {
  await pool.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

describe("worker protocol", () => {
  it("types each task's reply", () => {
    expectTypeOf<ReplyOf<ScanTask>>().toEqualTypeOf<ScanReply[]>();
    expectTypeOf<ReplyOf<ParseTask>>().toEqualTypeOf<ParseReply>();
    expectTypeOf(pool.run<ScanTask>).returns.resolves.toEqualTypeOf<ScanReply[]>();
    expectTypeOf(pool.run<ParseTask>).returns.resolves.toEqualTypeOf<ParseReply>();
  });

  it("answers a scan with one reply per segment", async () => {
    const f = join(tmp, "trace.1");
    const text = 'read(0, "", 1) = 0\nclose(3) = 0\n';
    writeFileSync(f, text);
    const piece = { file: f, gzip: false, byteStart: 0, byteEnd: text.length, atEof: true };
    const replies = await pool.run({ kind: "scan", segments: [{ piece, fileTid: 1, hash: true }] });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ lines: 2, bytes: text.length, looksLikeStrace: true });
  });

  it("turns a worker's error into a UsageError with its message", async () => {
    const f = join(tmp, "bad.gz");
    const bytes = Buffer.concat([gzipSync('read(0, "", 1) = 0\n').subarray(0, 12), Buffer.from("garbage")]);
    writeFileSync(f, bytes);
    const piece = { file: f, gzip: true, byteStart: 0, byteEnd: bytes.length, atEof: true };
    const run = pool.run({ kind: "scan", segments: [{ piece, fileTid: -1, hash: true }] });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(`${f}: corrupt gzip data`);
  });
});
