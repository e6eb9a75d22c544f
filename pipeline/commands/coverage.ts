/**
 * `sandmine coverage DATASET [--image NAME] [--json] [--unit auto|run|test] [--max-p-new P] [--min-runs N] [--orders N] [--seed S]`.
 */
import type { Command } from "../cli.ts";
import { withDb } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import {
  COVERAGE_SCOPE,
  DEFAULT_THRESHOLDS,
  SAMPLING_CHOICES,
  type SamplingChoice,
} from "../../stages/coverage/index.ts";
import {
  LEVELS,
  coverageImage,
  testLabels,
  type CoverageOptions,
  type ImageCoverage,
} from "../analyze/coverage.ts";
import { prepare, selectImages } from "../analyze/prepare.ts";
import { coverageTable, leaveOneOutTable, table } from "../analyze/tables.ts";
import { toJson } from "../analyze/write.ts";

/** The options `sandmine coverage` runs with when none are given (the notebooks and report use them). */
export const DEFAULT_COVERAGE: CoverageOptions = {
  thresholds: DEFAULT_THRESHOLDS,
  orders: 200,
  seed: 1,
  unit: "auto",
};

/** Runs coverage on `dataset` (all images, or one); writes results, returns them. */
export async function runCoverage(
  dataset: string,
  image: string | undefined,
  opts: CoverageOptions,
): Promise<ImageCoverage[]> {
  const images = selectImages(dataset, image);
  return withDb(async (db) => {
    await prepare(db, dataset, image);
    const tests = await testLabels(db, dataset);
    const out: ImageCoverage[] = [];
    for (const im of images) out.push(await coverageImage(db, dataset, im, opts, tests.get(im)));
    return out;
  });
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const f2 = (x: number): number => Math.round(x * 100) / 100;

/** Per test label and level: whether the runs of that test case alone saturate; "" without labels. */
export function perTestTable(results: readonly ImageCoverage[]): string {
  const rows = results.flatMap((c) =>
    LEVELS.flatMap((lv) =>
      c.levels[lv].per_test.map((t) => [
        c.image,
        lv,
        t.test,
        t.runs,
        t.observed,
        t.q1,
        t.q2,
        f2(t.expected_new),
        pct(t.p_new),
        t.verdict,
      ]),
    ),
  );
  if (rows.length === 0) return "";
  return table(["image", "level", "test", "runs", "seen", "Q1", "Q2", "E[new]", "P(new)", "verdict"], rows);
}

/** Per left-out run (or test case): the prediction from the others beside what it really added. */
export function leftOutTable(results: readonly ImageCoverage[]): string {
  const rows = results.flatMap((c) =>
    LEVELS.flatMap((lv) =>
      c.levels[lv].leave_one_out.rows.map((r) => [
        c.image,
        lv,
        r.run,
        r.q1,
        r.q2,
        f2(r.expected_new),
        pct(r.p_new),
        r.added,
      ]),
    ),
  );
  return table(
    ["image", "level", "left out", "Q1 others", "Q2 others", "E[new] pred", "P(new) pred", "added"],
    rows,
  );
}

/** `text` broken into lines of at most `width` characters (at spaces), each after `indent`. */
function wrap(text: string, width = 100, indent = ""): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

/** The printed output of `sandmine coverage` without --json. */
export function coverageText(results: readonly ImageCoverage[]): string {
  const perTest = perTestTable(results);
  return (
    coverageTable(results) +
    wrap(`scope: ${COVERAGE_SCOPE}.`) +
    "\n" +
    (perTest ? "\nper test case (its own runs as sampling units):\n" + perTest + "\n" : "") +
    "\nleave-one-run-out:\n" +
    leaveOneOutTable(results) +
    "\n\nper left-out run (predicted from the others, then what it added):\n" +
    leftOutTable(results) +
    "\n"
  );
}

function numberOption(v: unknown, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max} (got ${String(v)})`);
  }
  return n;
}

export const coverageCommand: Command = {
  summary:
    "Discovery curves and unseen-unit estimators across runs (syscall types and argument rules), with a verdict.\n" +
    "Writes DATASET/coverage/image=NAME/{coverage.json,summary,curve,leave_one_out}.parquet.",
  usage:
    "coverage DATASET [--image NAME] [--json] [--unit auto|run|test] [--max-p-new P] [--min-runs N] [--orders N] [--seed S]",
  options: {
    image: { type: "string" },
    json: { type: "boolean", default: false },
    unit: { type: "string", default: "auto" },
    "max-p-new": { type: "string" },
    "min-runs": { type: "string" },
    orders: { type: "string" },
    seed: { type: "string" },
  },
  describe: {
    image: "only this image",
    json: "print one JSON object per image (one per line) instead of tables",
    unit: "sampling unit: run, test (runs pooled by their test label), or auto (default: test when every run of the image has one)",
    "max-p-new": `saturated only if P(next run reveals a new unit) < P (default ${DEFAULT_THRESHOLDS.maxPNew})`,
    "min-runs": `saturated only with at least N runs (default ${DEFAULT_THRESHOLDS.minRuns})`,
    orders: `random run orders averaged in the discovery curve (default ${DEFAULT_COVERAGE.orders})`,
    seed: `seed of the random run orders and the paper's 10-fold split (default ${DEFAULT_COVERAGE.seed})`,
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new UsageError("give exactly one DATASET");
    const unit = v.unit as SamplingChoice;
    if (!SAMPLING_CHOICES.includes(unit)) {
      throw new UsageError(`--unit must be one of ${SAMPLING_CHOICES.join(", ")} (got ${String(v.unit)})`);
    }
    const opts: CoverageOptions = {
      unit,
      thresholds: {
        maxPNew: numberOption(v["max-p-new"], "max-p-new", 0, 1, DEFAULT_COVERAGE.thresholds.maxPNew),
        minRuns: numberOption(v["min-runs"], "min-runs", 1, 1e6, DEFAULT_COVERAGE.thresholds.minRuns),
      },
      orders: Math.round(numberOption(v.orders, "orders", 1, 1e5, DEFAULT_COVERAGE.orders)),
      seed: Math.round(numberOption(v.seed, "seed", 0, 2 ** 32 - 1, DEFAULT_COVERAGE.seed)),
    };
    const results = await runCoverage(positionals[0]!, v.image as string | undefined, opts);
    if (v.json) {
      for (const r of results) process.stdout.write(toJson(r) + "\n");
    } else {
      process.stdout.write(coverageText(results));
    }
    return 0;
  },
};
