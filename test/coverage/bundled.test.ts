/**
 * End to end on the bundled real captures (datasets/captures.yaml): characterize and coverage
 * through the CLI, their files and exit statuses, stable --json names, determinism, and the
 * leave-one-run-out track record per image (printed; the table in docs/design.md comes from this run), and
 * that the results do not depend on the signature cache or on `--image`, and are unchanged.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBundled } from "../util/bundled-dataset.ts";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { leaveOneOutTable } from "../../pipeline/analyze/text-tables.ts";
import { runFolders } from "../../pipeline/dataset/log.ts";
import { SIGNATURES_FILE, readRecord } from "../../pipeline/dataset/record.ts";
import { rawGroupsSelect, eventsSource } from "../../stages/characterize/index.ts";
import type { ImageCoverage } from "../../schemas/coverage.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
let tmp: string;
let ds: string;

describe.skipIf(avail.skipReason !== null)("characterize and coverage on the bundled captures", () => {
  beforeAll(async () => {
    ({ tmp, ds } = await ingestBundled("analyze"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** sha256 (12 hex) of every result file: JSON as bytes, Parquet as its rows in file order. */
  async function digests(dir = ds): Promise<Record<string, string>> {
    const files = (d: string): string[] =>
      readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? files(join(d, e)) : [join(d, e)]));
    const out: Record<string, string> = {};
    await withDb(async (db) => {
      for (const f of [...files(join(dir, "characterize")), ...files(join(dir, "coverage"))].sort()) {
        const text = f.endsWith(".parquet")
          ? (
              await db.query<{ j: string }>(
                `SELECT to_json(t)::VARCHAR AS j FROM read_parquet(${quoteString(f)}, hive_partitioning = false) t`,
              )
            )
              .map((r) => r.j)
              .join("\n")
          : readFileSync(f, "utf8");
        out[relative(dir, f)] = createHash("sha256").update(text).digest("hex").slice(0, 12);
      }
    });
    return out;
  }

  it("ingest writes each run's raw signature groups, listed in its record: the groups of its events", async () => {
    const folders = runFolders(ds);
    expect(folders.length).toBeGreaterThan(0);
    await withDb(async (db) => {
      for (const f of folders) {
        const rec = readRecord(f.dir)!.record;
        const file = join(f.dir, SIGNATURES_FILE);
        const bytes = readFileSync(file);
        expect(rec.signatures?.file).toBe(SIGNATURES_FILE);
        expect(rec.signatures?.bytes).toBe(bytes.length);
        expect(rec.signatures?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
        const image = decodeURIComponent(f.imagePart.slice("image=".length));
        const run = decodeURIComponent(f.runPart.slice("run=".length));
        // every raw group of the run's events, and nothing else, with the same counts and times
        const scan = rawGroupsSelect(eventsSource(ds), image);
        const [d] = await db.query<{ missing: bigint; extra: bigint; rows: bigint; calls: bigint }>(
          `WITH s AS (SELECT * EXCLUDE (image, run) FROM (${scan}) WHERE run = ${quoteString(run)}),
                g AS (SELECT * FROM read_parquet(${quoteString(file)}, hive_partitioning = false))
           SELECT (SELECT count(*) FROM (FROM s EXCEPT ALL FROM g)) AS missing,
                  (SELECT count(*) FROM (FROM g EXCEPT ALL FROM s)) AS extra,
                  (SELECT count(*) FROM g) AS rows, (SELECT sum(calls) FROM g)::BIGINT AS calls`,
        );
        expect(d!.missing).toBe(0n);
        expect(d!.extra).toBe(0n);
        expect(Number(d!.rows)).toBe(rec.signatures?.rows);
        expect(Number(d!.calls)).toBe(rec.row.events);
      }
    });
  });

  it("results are the same cold, warm and per image, and unchanged", async () => {
    const runOn = async (dir: string, ...extra: string[]): Promise<void> => {
      for (const cmd of ["characterize", "coverage"]) {
        const r = await runCli(cmd, dir, ...extra);
        expect(r.code, r.err).toBe(0);
      }
    };
    const run = (...extra: string[]): Promise<void> => runOn(ds, ...extra);
    await run(); // cold: reads the runs' signature groups, writes DATASET/analysis/
    const cold = await digests();
    await run(); // warm: reads the cache
    expect(await digests()).toEqual(cold);
    rmSync(join(ds, "analysis"), { recursive: true });
    for (const image of ["memcached", "nginx", "redis"]) await run("--image", image); // one-image scans
    expect(await digests()).toEqual(cold);
    // a dataset of an older sandmine (no signature groups beside the events) is scanned: the same
    const old = join(tmp, "old");
    cpSync(ds, old, {
      recursive: true,
      filter: (src) => !src.endsWith(SIGNATURES_FILE) && !/\/(analysis|characterize|coverage)$/.test(src),
    });
    expect(runFolders(old).some((f) => existsSync(join(f.dir, SIGNATURES_FILE)))).toBe(false);
    await runOn(old);
    expect(await digests(old)).toEqual(cold);
    // equal to the output of the per-image-table implementation before the cached-view rewrite
    // (plus the `sampling_unit` field, added since, and the coverage figures of the Good–Turing /
    // Chao–Jost next-run estimator, with `scope`, `per_test`, `sample_coverage` and the
    // leave-one-out `q1`/`q2`: coverage.json, summary and leave_one_out changed, the curves and
    // characterize did not); a change in ingest or in the analysis shows up here: check it, then
    // `npx vitest run -u`
    expect(cold).toMatchSnapshot();
  });

  it("coverage --json: one object per image with the stable names; results are deterministic", async () => {
    const r = await runCli("coverage", ds, "--json");
    expect(r.code, r.err).toBe(0);
    const objs = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ImageCoverage);
    expect(objs.map((o) => o.image)).toEqual(["memcached", "nginx", "redis"]);
    for (const o of objs) {
      for (const k of [
        "image",
        "runs",
        "observed",
        "chao2",
        "chao2_lower",
        "chao2_upper",
        "p_new",
        "verdict",
      ]) {
        expect(o).toHaveProperty(k);
      }
      expect(o.chao2_lower).toBeLessThanOrEqual(o.chao2);
      expect(o.chao2_upper).toBeGreaterThanOrEqual(o.chao2);
      expect(o.observed).toBeLessThanOrEqual(o.chao2);
      expect(["saturated", "not saturated"]).toContain(o.verdict);
      expect(o.levels.arg.observed).toBeGreaterThan(o.levels.type.observed);
    }
    const first = readFileSync(join(ds, "coverage", "image=nginx", "coverage.json"));
    expect((await runCli("coverage", ds, "--image", "nginx", "--json")).code).toBe(0);
    expect(readFileSync(join(ds, "coverage", "image=nginx", "coverage.json")).equals(first)).toBe(true);
    console.log("leave-one-run-out on the bundled captures:\n" + leaveOneOutTable(objs));
  });

  it("coverage prints the table; thresholds change the verdict", async () => {
    const r = await runCli("coverage", ds, "--max-p-new", "1", "--min-runs", "2");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("verdict");
    expect(r.out).toContain("leave-one-run-out");
    expect(r.out).toMatch(/memcached\s+type.*saturated/);
  });

  it("characterize writes Parquet and JSON per image and prints the tables", async () => {
    const r = await runCli("characterize", ds, "--image", "redis");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("== image redis");
    expect(r.out).toContain("type+argument rules");
    const dir = join(ds, "characterize", "image=redis");
    for (const f of ["syscalls.parquet", "syscalls_by.parquet", "args.parquet", "characterize.json"]) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    const rows = await withDb((db) =>
      db.query<{ n: bigint; calls: bigint }>(
        `SELECT count(*) AS n, sum(calls)::BIGINT AS calls FROM read_parquet(${quoteString(join(dir, "syscalls.parquet"))})`,
      ),
    );
    const events = await withDb((db) =>
      db.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM read_parquet(${quoteString(join(ds, "events", "image=redis", "*", "*.parquet"))})`,
      ),
    );
    expect(rows[0]!.calls).toBe(events[0]!.n); // every event counted once
    const json = JSON.parse(readFileSync(join(dir, "characterize.json"), "utf8")) as {
      rules: { type_rules: number; type_arg_rules: number };
    };
    expect(json.rules.type_arg_rules).toBeGreaterThanOrEqual(json.rules.type_rules);
  });

  it("bad usage exits 2 with a message", async () => {
    expect((await runCli("coverage")).code).toBe(2);
    const missing = await runCli("coverage", join(tmp, "nope"));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("not a sandmine dataset");
    const image = await runCli("characterize", ds, "--image", "it's-not-there");
    expect(image.code).toBe(2);
    expect(image.err).toContain("images: memcached, nginx, redis");
    expect((await runCli("coverage", ds, "--max-p-new", "2")).code).toBe(2);
    expect((await runCli("coverage", ds, "--bogus")).code).toBe(2);
  });
});
