/**
 * The coverage stage run on a dataset: unit incidence per run from `sig`/`argv`, the estimators of
 * stages/coverage, leave-one-run-out and discovery against time; results per image under
 * DATASET/coverage/image=NAME/ as JSON and Parquet.
 */
import { byImage } from "./by-image.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  LEVELS,
  type ImageCoverage,
  type Level,
  type LevelCoverage,
  type SamplingChoice,
  type SamplingUnit,
  type TimePoint,
  type VerdictThresholds,
} from "../../schemas/coverage.ts";
import {
  COVERAGE_SCOPE,
  DEFAULT_THRESHOLDS,
  chooseSamplingUnit,
  leaveOneOutOf,
  perTest,
  samplesOf,
  summarizeSets,
  timeCurve,
  unitSets,
} from "../../stages/coverage/index.ts";
import { quoteString, withDbAfter, type Db } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { planCache, selectImages, withPrepared, type AnalyzeScope, type CachePlan } from "./prepare.ts";
import type { DerivedTable } from "../../stages/characterize/index.ts";
import { writeAtomic } from "../atomic-write.ts";
import { resultDir, toJson, writeRowFilesParquet } from "./write.ts";

/** @deprecated import them from schemas/coverage.ts (re-exported for work begun before they moved) */
export type { ImageCoverage, LevelCoverage } from "../../schemas/coverage.ts";

/**
 * The units one run saw at one level, in unit order: their keys, events and first time (ns since
 * the run's first event).
 */
interface RunUnits {
  units: string[];
  calls: number[];
  rel: number[];
}

/** Options: thresholds of the verdict, the random orders of the discovery curve, the sampling unit. */
export interface CoverageOptions {
  thresholds: VerdictThresholds;
  orders: number;
  seed: number;
  /** default `auto`: test cases when every run of the image has a test label */
  unit?: SamplingChoice;
}

/** The options `sandmine coverage` runs with when none are given (the notebooks and report use them). */
export const DEFAULT_COVERAGE: CoverageOptions = {
  thresholds: DEFAULT_THRESHOLDS,
  orders: 200,
  seed: 1,
  unit: "auto",
};

/**
 * The coverage stage: every image of the dataset (or the one asked for), each written under
 * DATASET/coverage/image=NAME/ and returned in image order.
 */
export async function coverage(
  scope: AnalyzeScope,
  opts: CoverageOptions = DEFAULT_COVERAGE,
): Promise<ImageCoverage[]> {
  const images = selectImages(scope.dataset, scope.image);
  // one DuckDB thread: the queries read tables of ≤ 10^5 rows, where a second thread costs more
  // CPU (and, on a busy machine, wall time) than it gives (measured on the analyze bench)
  return withDbAfter(
    () => planCache(scope.dataset, scope.image),
    (db, plan) => coverageOn(db, scope, images, plan, opts),
    1,
  );
}

/** The derived tables coverage reads. */
export const COVERAGE_TABLES: readonly DerivedTable[] = ["a_units_type", "a_units_arg", "a_spans"];

/**
 * `coverage` in an open session (`sandmine analyze` runs it after characterize in the same one):
 * the views of its tables made (the cache of `plan` built when it is not there), then `images`
 * estimated and written.
 */
export function coverageOn(
  db: Db,
  scope: AnalyzeScope,
  images: readonly string[],
  plan: CachePlan,
  opts: CoverageOptions = DEFAULT_COVERAGE,
): Promise<ImageCoverage[]> {
  return withPrepared(db, scope.dataset, scope.image, COVERAGE_TABLES, plan, async () => {
    const tests = await testLabels(db, scope.dataset);
    const rows: UnitRows = {
      spans: byImage(await db.query<Span>("SELECT image, run, start_ns FROM a_spans")),
      units: { type: await levelUnits(db, "type"), arg: await levelUnits(db, "arg") },
    };
    // each image's Parquet files are written while the next image's estimators run (the COPYs
    // on a libuv thread, the estimators on the JavaScript one): two cores busy instead of one
    const out: ImageCoverage[] = [];
    let writing: Promise<void> = Promise.resolve();
    try {
      for (const image of images) {
        const { result, files } = coverageImage(scope.dataset, image, rows, opts, tests.get(image));
        await writing;
        writing = writeRowFilesParquet(db, files);
        out.push(result);
      }
    } finally {
      // the session closes after this: no COPY may be left running on it
      await Promise.allSettled([writing]);
    }
    await writing;
    return out;
  });
}

/** The test label of each run, per image (DATASET/runs.parquet, `labels.test`); none without runs.parquet. */
async function testLabels(db: Db, dataset: string): Promise<Map<string, Map<string, string>>> {
  const file = join(dataset, "runs.parquet");
  const out = new Map<string, Map<string, string>>();
  if (!existsSync(file)) return out;
  const rows = await db.query<{ image: string; run: string; test: string }>(
    `SELECT image, run, json_extract_string(labels, '$.test') AS test
     FROM read_parquet(${quoteString(file)}, hive_partitioning = false) WHERE test IS NOT NULL`,
  );
  for (const r of rows) {
    const m = out.get(r.image) ?? new Map<string, string>();
    m.set(r.run, r.test);
    out.set(r.image, m);
  }
  return out;
}

interface Span {
  image: string;
  run: string;
  start_ns: bigint | null;
}

/** What coverage reads of the prepared views, for every image at once (one query each), by image. */
interface UnitRows {
  spans: Map<string, Span[]>;
  /** per level, image and run */
  units: Record<Level, Map<string, Map<string, RunUnits>>>;
}

/** Separates the unit keys of a run in one string (a control character strace and sysdig print escaped). */
const SEP = "\u0001";

/**
 * One row per run and level, its units joined into strings, instead of a row object per unit
 * (10^5 of them at the argument level, the largest JavaScript cost of a warm run). Should a key
 * hold the separator, that run's units are read again as a list.
 */
async function levelUnits(db: Db, lv: Level): Promise<Map<string, Map<string, RunUnits>>> {
  const rows = await db.query<{
    image: string;
    run: string;
    n: bigint;
    units: string;
    calls: string;
    rel: string;
  }>(
    `SELECT u.image, u.run, count(*) AS n,
       string_agg(u.unit, chr(1) ORDER BY u.unit) AS units,
       string_agg(u.calls::VARCHAR, ',' ORDER BY u.unit) AS calls,
       string_agg((coalesce(u.first_ns, s.start_ns, 0) - coalesce(s.start_ns, 0))::VARCHAR, ',' ORDER BY u.unit) AS rel
     FROM a_units_${lv} u JOIN a_spans s USING (image, run) GROUP BY u.image, u.run`,
  );
  const out = new Map<string, Map<string, RunUnits>>();
  for (const r of rows) {
    let keys = r.units.split(SEP);
    if (keys.length !== Number(r.n)) keys = await unitList(db, lv, r.image, r.run);
    const m = out.get(r.image) ?? new Map<string, RunUnits>();
    m.set(r.run, { units: keys, calls: r.calls.split(",").map(Number), rel: r.rel.split(",").map(Number) });
    out.set(r.image, m);
  }
  return out;
}

/** The unit keys of one run, in unit order, one row each. */
async function unitList(db: Db, lv: Level, image: string, run: string): Promise<string[]> {
  const rows = await db.query<{ unit: string }>(
    `SELECT unit FROM a_units_${lv} WHERE image = ${quoteString(image)} AND run = ${quoteString(run)} ORDER BY unit`,
  );
  return rows.map((r) => r.unit);
}

const NO_UNITS: RunUnits = { units: [], calls: [], rel: [] };

function level(
  runs: ReadonlyMap<string, RunUnits>,
  spans: readonly Span[],
  sampling: { unit: SamplingUnit; testOf: ReadonlyMap<string, string> },
  opts: CoverageOptions,
): LevelCoverage {
  const runNames = spans.map((s) => s.run).sort();
  const of = (run: string): RunUnits => runs.get(run) ?? NO_UNITS;
  const events = new Map<string, number>();
  for (const run of runNames) {
    const r = of(run);
    for (let i = 0; i < r.units.length; i++)
      events.set(r.units[i]!, (events.get(r.units[i]!) ?? 0) + r.calls[i]!);
  }
  const unitsOfRun = new Map(runNames.map((n) => [n, of(n).units]));
  const samples = samplesOf(sampling.unit, runNames, unitsOfRun, sampling.testOf);
  const ids = unitSets(samples.units);
  const summary = summarizeSets(ids, events, { ...opts, noun: sampling.unit });
  const time: Record<string, TimePoint[]> = {};
  for (const s of spans) time[s.run] = timeCurve(of(s.run).rel);
  return {
    ...summary,
    leave_one_out: leaveOneOutOf(samples.names, ids),
    per_test: perTest(runNames, unitsOfRun, sampling.testOf, opts.thresholds),
    time,
  };
}

/**
 * Estimates coverage of `image` at both levels from the prepared tables, writes its JSON and returns
 * the rows of its Parquet files (written by the caller).
 */
function coverageImage(
  dataset: string,
  image: string,
  all: UnitRows,
  opts: CoverageOptions,
  testOf: ReadonlyMap<string, string> = new Map(),
): { result: ImageCoverage; files: { rows: readonly object[]; file: string }[] } {
  const spans = all.spans.get(image) ?? [];
  const chosen = chooseSamplingUnit(
    opts.unit ?? "auto",
    spans.map((s) => s.run),
    testOf,
  );
  if ("error" in chosen) throw new UsageError(`--unit test: image ${image}: ${chosen.error}`);
  const sampling = { unit: chosen.unit, testOf };
  const levels = {
    type: level(all.units.type.get(image) ?? new Map(), spans, sampling, opts),
    arg: level(all.units.arg.get(image) ?? new Map(), spans, sampling, opts),
  };
  const t = levels.type;
  const result: ImageCoverage = {
    image,
    level: "type",
    sampling_unit: chosen.unit,
    runs: t.runs,
    observed: t.observed,
    chao2: t.chao2,
    chao2_lower: t.chao2_lower,
    chao2_upper: t.chao2_upper,
    ichao2: t.ichao2,
    jack1: t.jack1,
    jack2: t.jack2,
    p_new: t.p_new,
    expected_new: t.expected_new,
    runs_to_95: t.runs_to_95,
    runs_to_99: t.runs_to_99,
    paper_kfold_mean: t.paper_kfold.mean,
    verdict: t.verdict,
    reason: t.reason,
    scope: COVERAGE_SCOPE,
    per_test: t.per_test,
    levels,
  };
  const dir = resultDir(dataset, "coverage", image);
  writeAtomic(join(dir, "coverage.json"), toJson(result, 1) + "\n");
  const flat = LEVELS.map((lv) => {
    const { curve, leave_one_out, per_test, time, paper_kfold, ...rest } = levels[lv];
    void curve;
    void leave_one_out;
    void per_test;
    void time;
    return {
      image,
      level: lv,
      sampling_unit: chosen.unit,
      ...rest,
      paper_kfold_mean: paper_kfold.mean,
      paper_kfold_min: paper_kfold.min,
    };
  });
  const curves = LEVELS.flatMap((lv) => levels[lv].curve.map((p) => ({ image, level: lv, ...p })));
  const loo = LEVELS.flatMap((lv) => levels[lv].leave_one_out.rows.map((r) => ({ image, level: lv, ...r })));
  const files: { rows: readonly object[]; file: string }[] = [
    { rows: flat, file: join(dir, "summary.parquet") },
    { rows: curves, file: join(dir, "curve.parquet") },
  ];
  if (loo.length > 0) files.push({ rows: loo, file: join(dir, "leave_one_out.parquet") });
  return { result, files };
}
