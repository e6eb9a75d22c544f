/**
 * sandmine's own Parquet writer for events (stages/columns/parquet, pipeline/events-parquet.ts):
 * DuckDB and parquet-wasm read back exactly the rows that were written — on the bundled captures'
 * events, on nulls of every kind, on an empty batch, and on random columns (fast-check) whose
 * integers force both delta packing and its PLAIN fallback; the builders' dictionary path and the
 * record-batch path give the same bytes; the chunk statistics are the columns' min and max.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import {
  Bool,
  Field,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Table,
  Utf8,
  makeData,
  tableFromIPC,
  vectorFromArray,
  Struct,
} from "apache-arrow";
import fc from "fast-check";
import * as pq from "parquet-wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS_SCHEMA } from "../../schemas/events.ts";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { encodeParquet, UNCOMPRESSED } from "../../stages/columns/parquet/write.ts";
import { eventsToParquet } from "../../pipeline/events-parquet.ts";
import { loadZstd, ZSTD } from "../../pipeline/zstd.ts";
import { Db } from "../../pipeline/duckdb.ts";
import { REPO_ROOT, listFiles } from "../util/datasets.ts";
import { straceParser } from "../util/strace-parse.ts";

let db: Db;
let tmp: string;
let n = 0;

beforeAll(async () => {
  await loadZstd();
  db = await Db.open(1);
  tmp = fs.mkdtempSync(path.join(REPO_ROOT, "out", "pq-writer-"));
});
afterAll(async () => {
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The rows of `bytes` as DuckDB reads them (JSON-safe: bigints as strings), in file order. */
async function duckRows(bytes: Uint8Array): Promise<unknown[]> {
  const file = path.join(tmp, `f${n++}.parquet`);
  fs.writeFileSync(file, bytes);
  const rows = await db.query(`SELECT * FROM read_parquet('${file}')`);
  return rows.map(plain);
}

/** The rows of a record batch in the same JSON-safe form. */
function batchRows(rb: RecordBatch): unknown[] {
  return new Table(rb).toArray().map((r) => plain(r.toJSON() as Record<string, unknown>));
}

function plain(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? String(v) : v === undefined ? null : v]),
  );
}

/** The events of strace text, as the ingest workers build them. */
function eventsOf(text: string): EventBatch {
  const b = new EventBatch();
  const p = straceParser(b);
  p.parseText(text, /[\x80-\xff]/.test(text));
  p.finish();
  return b;
}

/** Checks one batch: both paths give the same bytes, and DuckDB and parquet-wasm read its rows. */
async function roundTrip(b: EventBatch): Promise<void> {
  const fromBuilders = eventsToParquet(b.parquetColumns(), b.length);
  const rb = b.toRecordBatch();
  const fromBatch = eventsToParquet(rb);
  expect(Buffer.from(fromBuilders).equals(Buffer.from(fromBatch))).toBe(true);
  expect(await duckRows(fromBuilders)).toEqual(batchRows(rb));
  const back = tableFromIPC(pq.readParquet(fromBuilders).intoIPCStream());
  expect(back.numRows).toBe(rb.numRows);
  if (rb.numRows > 0) expect(batchRows(back.batches[0]!)).toEqual(batchRows(rb));
}

describe("events Parquet writer", () => {
  it("round-trips the bundled captures' events through DuckDB and parquet-wasm, same bytes from both paths", async () => {
    const dir = path.join(REPO_ROOT, "datasets", "captures", "nginx", "run-01");
    const files = listFiles(dir).filter((f) => f.endsWith(".gz"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files.slice(0, 4))
      await roundTrip(eventsOf(zlib.gunzipSync(fs.readFileSync(f)).toString("latin1")));
  });

  it("round-trips nulls of every kind and an empty batch", async () => {
    await roundTrip(eventsOf(""));
    await roundTrip(
      eventsOf(
        'read(3, <unfinished ...>\n--- SIGCHLD {} ---\nclose(4</x (deleted)>) = ?\nopenat(AT_FDCWD, "/etc/passwd", O_RDONLY) = -1 ENOENT (No such file or directory)\n',
      ),
    );
  });

  it("keeps chunk min/max statistics that DuckDB reads for pruning", async () => {
    const b = eventsOf('close(3) = 0\nread(7, "x", 1) = 1\nwrite(1, "ab", 2) = 2\n');
    const file = path.join(tmp, "stats.parquet");
    fs.writeFileSync(file, eventsToParquet(b.parquetColumns(), b.length));
    const rows = await db.query<{ path_in_schema: string; stats_min_value: string; stats_max_value: string }>(
      `SELECT path_in_schema, stats_min_value, stats_max_value FROM parquet_metadata('${file}')
       WHERE path_in_schema IN ('syscall', 'seq', 'nr') ORDER BY path_in_schema`,
    );
    expect(rows.map((r) => [r.path_in_schema, r.stats_min_value, r.stats_max_value])).toEqual([
      ["nr", "0", "3"],
      ["seq", "1", "3"],
      ["syscall", "close", "write"],
    ]);
    const kv = await db.query<{ key: string; value: string }>(
      `SELECT key::VARCHAR AS key, value::VARCHAR AS value FROM parquet_kv_metadata('${file}')`,
    );
    expect(kv).toEqual([
      { key: "sandmine.schema_version", value: EVENTS_SCHEMA.metadata.get("sandmine.schema_version") },
    ]);
  });

  it("writes random columns that DuckDB reads back exactly, delta-packed or PLAIN", async () => {
    const schema = new Schema([
      new Field("i64", new Int64(), true),
      new Field("i32", new Int32(), false),
      new Field("s", new Utf8(), true),
      new Field("d", new Utf8(), true),
      new Field("b", new Bool(), true),
    ]);
    const int64 = fc.oneof(
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.bigInt({ min: -1000n, max: 1000n }),
      fc.constant(null),
    );
    const row = fc.record({
      i64: int64,
      i32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      s: fc.option(fc.string({ unit: "binary", maxLength: 40 }), { nil: null }),
      d: fc.option(fc.constantFrom("read", "write", "", "épée"), { nil: null }),
      b: fc.option(fc.boolean(), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 300 }), fc.boolean(), async (rows, zstd) => {
        const col = <T>(name: keyof (typeof rows)[number], type: T) =>
          vectorFromArray(rows.map((r) => r[name]) as never[], type as never).data[0]!;
        const children = [
          col("i64", new Int64()),
          col("i32", new Int32()),
          col("s", new Utf8()),
          col("d", new Utf8()),
          col("b", new Bool()),
        ];
        const rb = new RecordBatch(
          schema,
          makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }),
        );
        const bytes = encodeParquet(rb, {
          codec: zstd ? ZSTD : UNCOMPRESSED,
          statistics: new Set(["i64", "i32", "s"]),
          dictionary: new Set(["d"]),
          createdBy: "test",
        });
        expect(await duckRows(bytes)).toEqual(batchRows(rb));
      }),
      { numRuns: 150, seed: 20261208 },
    );
  });
});
