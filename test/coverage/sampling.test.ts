/**
 * Test cases as sampling units: the choice (auto/run/test), the pooling of runs by test label,
 * and end to end on real captures — memcached's five bundled runs labelled with the memcslap test
 * they ran (two runs of `set`), a test label from `ingest --test`, and a run without one.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import type { ImageCoverage } from "../../schemas/coverage.ts";
import { chooseSamplingUnit, perTest, samplesOf } from "../../stages/coverage/index.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";

describe("sampling units", () => {
  const tests = new Map([
    ["r1", "set"],
    ["r2", "get"],
    ["r3", "set"],
  ]);

  it("auto takes test cases only when every run has a test label", () => {
    expect(chooseSamplingUnit("auto", ["r1", "r2", "r3"], tests)).toEqual({ unit: "test" });
    expect(chooseSamplingUnit("auto", ["r1", "r2", "r4"], tests)).toEqual({ unit: "run" });
    expect(chooseSamplingUnit("auto", [], tests)).toEqual({ unit: "run" });
    expect(chooseSamplingUnit("run", ["r1", "r2", "r3"], tests)).toEqual({ unit: "run" });
    expect(chooseSamplingUnit("test", ["r1", "r4"], tests)).toEqual({
      error: "1 run(s) without a test label (r4)",
    });
  });

  it("pools the units of the runs of one test case", () => {
    const units = new Map([
      ["r1", ["read", "write"]],
      ["r2", ["read"]],
      ["r3", ["read", "fsync"]],
    ]);
    expect(samplesOf("test", ["r1", "r2", "r3"], units, tests)).toEqual({
      names: ["get", "set"],
      units: [["read"], ["read", "write", "read", "fsync"]],
    });
    expect(samplesOf("run", ["r3", "r1", "r2"], units, tests).names).toEqual(["r1", "r2", "r3"]);
  });

  it("per test case: that test's own runs as sampling units, each with its verdict", () => {
    // `set` ran six times, the last run also saw `fsync`; `get` once; r0 has no label
    const runs = ["r0", "g1", ...Array.from({ length: 6 }, (_, i) => `s${i + 1}`)];
    const units = new Map<string, string[]>(runs.map((r) => [r, ["read", "write"]]));
    units.set("s6", ["read", "write", "fsync"]);
    units.set("g1", ["read"]);
    const labels = new Map<string, string>(runs.slice(1).map((r) => [r, r.startsWith("s") ? "set" : "get"]));
    const t = perTest(runs, units, labels);
    expect(t.map((x) => [x.test, x.runs, x.observed, x.q1, x.q2, x.verdict])).toEqual([
      ["get", 1, 1, 1, 0, "not saturated"],
      ["set", 6, 3, 1, 0, "not saturated"],
    ]);
    expect(t[0]!.reason).toBe("only 1 run(s); at least 5 required");
    // one singleton in six runs: P(new) = 1 − e^(−1/6)
    expect(t[1]!.p_new).toBeCloseTo(1 - Math.exp(-1 / 6), 12);
    expect(t[1]!.reason).toBe("P(next run reveals a new unit) = 15.4% ≥ 5.0%");
    units.set("s6", ["read", "write"]);
    expect(perTest(runs, units, labels)[1]).toMatchObject({ q1: 0, p_new: 0, verdict: "saturated" });
    expect(perTest(runs, units, new Map())).toEqual([]);
  });
});

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
const RUNS: Record<string, string> = {
  "run-01": "set", // memcslap --test=set
  "run-02": "get", // memcslap --test=get
  "run-03": "mget", // memcslap --binary --test=mget
  "run-04": "admin", // text protocol admin commands via nc
  "run-05": "set", // memcslap --binary --test=set --noreply
};

describe.skipIf(avail.skipReason !== null)("coverage per test case on real captures", () => {
  let tmp: string;
  let ds: string;
  const coverage = async (...args: string[]): Promise<ImageCoverage> => {
    const r = await runCli("coverage", ds, "--json", ...args);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out.trim()) as ImageCoverage;
  };

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-sampling-"));
    ds = join(tmp, "ds");
    const manifest = join(tmp, "captures.yaml");
    writeFileSync(
      manifest,
      "captures:\n" +
        Object.entries(RUNS)
          .map(
            ([run, test]) =>
              `  - { path: ${JSON.stringify(join(avail.path!, "memcached", run))}, image: memcached, run: ${run}, labels: { test: ${test} } }\n`,
          )
          .join(""),
    );
    const r = await runCli("ingest", "--manifest", manifest, "--out", ds, "-q");
    expect(r.code, r.err).toBe(0);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("auto: every run has a test label, so the four test cases are the sampling units", async () => {
    const byTest = await coverage();
    expect(byTest.sampling_unit).toBe("test");
    expect(byTest.runs).toBe(4);
    expect(byTest.levels.type.leave_one_out.rows.map((r) => r.run)).toEqual(["admin", "get", "mget", "set"]);
    // Q1 and Q2 by hand: syscall types outside the runtime phase, pooled per test label
    const [q] = await withDb((db) =>
      db.query<{ seen: bigint; q1: bigint; q2: bigint }>(
        `WITH t(run, test) AS (VALUES ${Object.entries(RUNS)
          .map(([run, test]) => `(${quoteString(run)}, ${quoteString(test)})`)
          .join(", ")}),
        inc AS (
          SELECT e.syscall, count(DISTINCT t.test) AS tests
          FROM read_parquet(${quoteString(join(ds, "events/*/*/*.parquet"))}, hive_partitioning = true) e
          JOIN t USING (run) WHERE e.phase <> 'runtime' GROUP BY e.syscall)
        SELECT count(*) AS seen, count(*) FILTER (WHERE tests = 1) AS q1, count(*) FILTER (WHERE tests = 2) AS q2
        FROM inc`,
      ),
    );
    expect(byTest.observed).toBe(Number(q!.seen));
    expect(byTest.levels.type.q1).toBe(Number(q!.q1));
    expect(byTest.levels.type.q2).toBe(Number(q!.q2));

    const byRun = await coverage("--unit", "run");
    expect(byRun.sampling_unit).toBe("run");
    expect(byRun.runs).toBe(5);
    expect(byRun.observed).toBe(byTest.observed); // the same units, counted over other sampling units
    expect(byRun.reason).toContain("run");
    expect(byTest.reason).toContain("test");

    // each test case's own runs: `set` ran twice, the others once; too few runs for a verdict
    expect(byTest.per_test.map((t) => [t.test, t.runs, t.verdict])).toEqual([
      ["admin", 1, "not saturated"],
      ["get", 1, "not saturated"],
      ["mget", 1, "not saturated"],
      ["set", 2, "not saturated"],
    ]);
    expect(byTest.per_test).toEqual(byTest.levels.type.per_test);
    expect(byRun.per_test).toEqual(byTest.per_test); // labels, not the sampling unit, decide
    expect(byTest.scope).toContain("says nothing about behaviour the workload never exercises");
    const text = await runCli("coverage", ds);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain("per test case (its own runs as sampling units):");
    expect(text.out).toMatch(/memcached\s+type\s+set\s+2\s/);
    expect(text.out).toContain("scope: coverage measures the recorded workload(s) only");
  });

  it("ingest --test labels a run; a run without a label makes auto fall back to runs", async () => {
    const path = join(avail.path!, "memcached", "run-02");
    const add = async (...args: string[]): Promise<void> => {
      const r = await runCli("ingest", path, "--image", "memcached", "--out", ds, "-q", ...args);
      expect(r.code, r.err).toBe(0);
    };
    await add("--run", "run-06", "--test", "get");
    const labelled = await coverage();
    expect(labelled.sampling_unit).toBe("test");
    expect(labelled.runs).toBe(4); // run-06 joins the `get` test case

    await add("--run", "run-07");
    expect((await coverage()).sampling_unit).toBe("run");
    const strict = await runCli("coverage", ds, "--unit", "test");
    expect(strict.code).toBe(2);
    expect(strict.err).toContain("1 run(s) without a test label (run-07)");
    expect((await runCli("coverage", ds, "--unit", "tests")).code).toBe(2);
  });
});
