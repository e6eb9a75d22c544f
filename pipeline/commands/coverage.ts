/**
 * `sandmine coverage DATASET [--image NAME] [--json] [--unit auto|run|test] [--max-p-new P] [--min-runs N] [--orders N] [--seed S]`.
 */
import type { Command } from "../cli.ts";
import { UsageError } from "../errors.ts";
import { DEFAULT_THRESHOLDS, SAMPLING_CHOICES, type SamplingChoice } from "../../stages/coverage/index.ts";
import { DEFAULT_COVERAGE, coverage, type CoverageOptions } from "../analyze/coverage.ts";
import { coverageText } from "../analyze/tables.ts";
import { toJson } from "../analyze/write.ts";

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
    const results = await coverage({ dataset: positionals[0]!, image: v.image as string | undefined }, opts);
    if (v.json) {
      for (const r of results) process.stdout.write(toJson(r) + "\n");
    } else {
      process.stdout.write(coverageText(results));
    }
    return 0;
  },
};
