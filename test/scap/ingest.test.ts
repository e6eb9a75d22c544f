/**
 * `sandmine ingest` on scap captures end to end (CLI, pool, workers, Parquet, DuckDB tables):
 * recognised by content, every block accounted for in the runs table, rejects with byte offsets.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { walkBlocks } from "../../stages/scap/blocks.ts";
import { CAPTURES, capture, expected, scapAvailability } from "./captures.ts";
import { runCli } from "../util/cli.ts";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-scap-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(scapAvailability.skipReason !== null)("ingest of scap captures", () => {
  it("reads all 15 captures and a damaged one; lines_read = event_lines + rejected + skipped per run", async () => {
    const out = join(tmp, "ds");
    const damaged = join(tmp, "damaged.scap");
    const b = gunzipSync(capture("falcosecurity-falco/cat_write.scap"));
    let last = 0;
    walkBlocks(b, { block: (_t, offset) => void (last = offset), reject: () => {} });
    b.writeUInt32LE(0x7ffffff0, last + 4); // the last block's length points past the end
    writeFileSync(damaged, b);
    const paths = CAPTURES.map((c) => join(scapAvailability.path!, c));
    const manifest = join(tmp, "captures.yaml");
    writeFileSync(
      manifest,
      "captures:\n" +
        [...paths, damaged]
          .map((p, i) => `  - { path: ${JSON.stringify(p)}, image: scap, run: r${i} }`)
          .join("\n") +
        "\n",
    );
    const r = await runCli(
      "ingest",
      "--manifest",
      manifest,
      "--out",
      out,
      "--workers",
      "2",
      "--format",
      "scap",
    );
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/error|Error/);
    const runs = await withDb((db) =>
      db.query<{
        run: string;
        lines_read: bigint;
        event_lines: bigint;
        rejected: bigint;
        skipped: bigint;
        events: bigint;
        skipped_by_kind: string;
      }>(
        `SELECT run, lines_read, event_lines, rejected, skipped, events, skipped_by_kind FROM read_parquet(${quoteString(join(out, "runs.parquet"))}) ORDER BY run`,
      ),
    );
    expect(runs).toHaveLength(16);
    for (const x of runs) expect(x.lines_read).toBe(x.event_lines + x.rejected + x.skipped);
    const empty = runs.find((x) => x.run === "r2")!;
    expect(JSON.parse(empty.skipped_by_kind)).toMatchObject({ procinfo: 143 });
    const bad = runs.find((x) => x.run === "r15")!;
    expect(bad.rejected).toBe(1n);
    const rejects = await withDb((db) =>
      db.query<{ run: string; offset: bigint; reason: string }>(
        `SELECT run, "offset", reason FROM read_parquet(${quoteString(join(out, "rejects.parquet"))})`,
      ),
    );
    expect(rejects).toHaveLength(1);
    expect(rejects[0]!.run).toBe("r15");
    expect(Number(rejects[0]!.offset)).toBe(last);
    const ev = await withDb((db) =>
      db.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM read_parquet(${quoteString(join(out, "events/*/*/*.parquet"))}) WHERE format = 'scap'`,
      ),
    );
    expect(ev[0]!.n).toBe(runs.reduce((a, x) => a + x.events, 0n));
  }, 120_000);
});

describe.skipIf(scapAvailability.skipReason !== null)("ingest of sysdig text and JSON output", () => {
  it("recognises -p text, -pc text and -j JSON by content; same events as the binary capture", async () => {
    const out = join(tmp, "ds-text");
    const files: [string, string][] = [
      ["curl.txt", expected("falcosecurity-libs/curl_google.scap", ".txt")!],
      ["curl.json", expected("falcosecurity-libs/curl_google.scap", ".jsonl")!],
      ["curl-bin", ""],
    ];
    const manifest = join(tmp, "text.yaml");
    const lines = files.map(([name, text]) => {
      const p = join(tmp, name);
      if (text === "") writeFileSync(p, capture("falcosecurity-libs/curl_google.scap"));
      else writeFileSync(p, text);
      return `  - { path: ${JSON.stringify(p)}, image: text, run: ${name.replace(".", "-")} }`;
    });
    writeFileSync(manifest, "captures:\n" + lines.join("\n") + "\n");
    const r = await runCli("ingest", "--manifest", manifest, "--out", out, "--workers", "2");
    expect(r.code).toBe(0);
    const runs = await withDb((db) =>
      db.query<{
        run: string;
        format: string;
        lines_read: bigint;
        event_lines: bigint;
        rejected: bigint;
        skipped: bigint;
        events: bigint;
      }>(
        `SELECT run, format, lines_read, event_lines, rejected, skipped, events FROM read_parquet(${quoteString(join(out, "runs.parquet"))}) ORDER BY run`,
      ),
    );
    for (const x of runs) expect(x.lines_read).toBe(x.event_lines + x.rejected + x.skipped);
    expect(runs.map((x) => [x.run, Number(x.events)])).toEqual([
      ["curl-bin", 599],
      ["curl-json", 599],
      ["curl-txt", 599],
    ]);
    const formats = await withDb((db) =>
      db.query<{ f: string }>(
        `SELECT DISTINCT format AS f FROM read_parquet(${quoteString(join(out, "events/*/*/*.parquet"))}) ORDER BY 1`,
      ),
    );
    expect(formats.map((x) => x.f)).toEqual(["scap", "sysdig-json", "sysdig-text"]);
  }, 120_000);
});

describe.skipIf(scapAvailability.skipReason !== null)("ingest of a raw scap file larger than a piece", () => {
  it("reads it whole (blocks cannot be cut at line starts)", async () => {
    const src = gunzipSync(capture("falcosecurity-libs/curl_google.scap"));
    let firstEvent = -1;
    walkBlocks(src, {
      block: (type, offset) => void (firstEvent < 0 && type === 0x204 && (firstEvent = offset)),
      reject: () => {},
    });
    const f = join(tmp, "big", "big.scap");
    mkdirSync(join(tmp, "big"));
    writeFileSync(
      f,
      Buffer.concat([
        src.subarray(0, firstEvent),
        ...Array.from({ length: 60 }, () => src.subarray(firstEvent)),
      ]),
    );
    const out = join(tmp, "ds-big");
    expect((await runCli("ingest", f, "--out", out, "--workers", "2")).code).toBe(0);
    const runs = await withDb((db) =>
      db.query<{
        lines_read: bigint;
        event_lines: bigint;
        rejected: bigint;
        skipped: bigint;
        events: bigint;
      }>(
        `SELECT lines_read, event_lines, rejected, skipped, events FROM read_parquet(${quoteString(join(out, "runs.parquet"))})`,
      ),
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.events).toBe(599n * 60n);
    expect(runs[0]!.lines_read).toBe(runs[0]!.event_lines + runs[0]!.rejected + runs[0]!.skipped);
  }, 120_000);
});
