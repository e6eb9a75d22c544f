/**
 * synthesize reads one image's events from that image's own partition folder
 * (pipeline/fleet/image-events.ts): the other images' files are not listed, the facts are the same
 * as a query over the whole dataset filtered to the image, and run names stay text even when
 * every run of the image is a number (DuckDB would otherwise type `run=1` folders as BIGINT).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDb } from "../../pipeline/duckdb.ts";
import { imageEventFiles, imageEventsSource } from "../../pipeline/fleet/image-events.ts";
import { readFacts } from "../../pipeline/profile/facts.ts";
import { governedPhases } from "../../stages/profile/facts.ts";
import { runCli } from "../util/cli.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
const LONG = 300_000;

describe.skipIf(avail.skipReason !== null)("one image's events", () => {
  let tmp: string;
  let ds: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-image-events-"));
    ds = join(tmp, "ds");
    const c = avail.path!;
    const manifest = join(tmp, "m.yaml");
    writeFileSync(
      manifest,
      "captures:\n" +
        `  - { path: ${c}/redis/run-01, image: redis, run: "1", format: strace }\n` +
        `  - { path: ${c}/redis/run-02, image: redis, run: "2", format: strace }\n` +
        `  - { path: ${c}/nginx/run-01, image: nginx, run: web-1, format: strace }\n`,
    );
    const r = await runCli("ingest", "--manifest", manifest, "--out", ds, "-q");
    expect(r.code, r.err).toBe(0);
  }, LONG);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("lists only the image's own files", () => {
    const files = imageEventFiles(ds, "redis");
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.includes("/events/image=redis/run="))).toBe(true);
    expect(imageEventFiles(ds, "nope")).toEqual([]);
    expect(imageEventsSource(ds, "nope")).toBeNull();
  });

  it("gives the facts of a whole-dataset query, with run names as text", async () => {
    const facts = await withDb((db) => readFacts(db, ds, { image: "redis", phases: governedPhases(true) }));
    expect(facts.runs).toEqual(["1", "2"]);
    expect(facts.usage.every((u) => typeof u.run === "string")).toBe(true);
    const whole = await withDb((db) =>
      db.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM read_parquet('${ds}/events/*/*/*.parquet', hive_partitioning = true, hive_types_autocast = false) WHERE image = 'redis'`,
      ),
    );
    expect(facts.events).toBe(Number(whole[0]!.n));
    expect(facts.events).toBeGreaterThan(0);
  });
});
