/**
 * The options of coverage's estimators, shared by `sandmine coverage` and `sandmine analyze` (a
 * module of their own: analyze does not load coverage's command and its `--rootfs` reach code).
 */
import type { OptionSpecs, OptionValues } from "../command.ts";
import { SAMPLING_CHOICES } from "../../stages/coverage/index.ts";
import { DEFAULT_COVERAGE, type CoverageOptions } from "./coverage.ts";

/** coverage's estimator options (`sandmine analyze` takes them too). */
export const ESTIMATOR_OPTIONS = {
  unit: {
    type: "enum",
    choices: SAMPLING_CHOICES,
    default: "auto",
    description:
      "sampling unit: run, test (runs pooled by their test label), or auto (test when every run of the image has one)",
  },
  "max-p-new": {
    type: "number",
    placeholder: "P",
    min: 0,
    max: 1,
    default: DEFAULT_COVERAGE.thresholds.maxPNew,
    description: "saturated only if P(next run reveals a new unit) < P",
  },
  "min-runs": {
    type: "number",
    placeholder: "N",
    min: 1,
    max: 1e6,
    default: DEFAULT_COVERAGE.thresholds.minRuns,
    description: "saturated only with at least N runs",
  },
  orders: {
    type: "number",
    placeholder: "N",
    integer: "round",
    min: 1,
    max: 1e5,
    default: DEFAULT_COVERAGE.orders,
    description: "random run orders averaged in the discovery curve",
  },
  seed: {
    type: "number",
    placeholder: "SEED",
    integer: "round",
    min: 0,
    max: 2 ** 32 - 1,
    default: DEFAULT_COVERAGE.seed,
    description: "seed of the random run orders and the paper's 10-fold split",
  },
} as const satisfies OptionSpecs;

/** The coverage options of the parsed ESTIMATOR_OPTIONS. */
export function estimatorOptions(o: OptionValues<typeof ESTIMATOR_OPTIONS>): CoverageOptions {
  return {
    unit: o.unit,
    thresholds: { maxPNew: o.maxPNew, minRuns: o.minRuns },
    orders: o.orders,
    seed: o.seed,
  };
}
