/**
 * Sampling units of the coverage estimators: each run, or each test case when the captures carry
 * test labels (the `test` label of a run, from the ingest manifest or `ingest --test`). Runs of
 * the same test case repeat the same behaviour, so they are not independent samples of it: a
 * unit only ever seen by one test case is a singleton however often that test ran. Pooling the
 * runs of a test case (the union of their units) makes the test case the sampling unit.
 */
import type { SamplingChoice, SamplingUnit } from "../../schemas/coverage.ts";

export const SAMPLING_CHOICES: readonly SamplingChoice[] = ["auto", "run", "test"];

/** The sampling unit for an image's runs: `auto` takes test cases when every run has a test label. */
export function chooseSamplingUnit(
  choice: SamplingChoice,
  runs: readonly string[],
  testOf: ReadonlyMap<string, string>,
): { unit: SamplingUnit } | { error: string } {
  const unlabelled = runs.filter((r) => !testOf.has(r));
  if (choice === "run") return { unit: "run" };
  if (choice === "auto") return { unit: runs.length > 0 && unlabelled.length === 0 ? "test" : "run" };
  if (unlabelled.length > 0) {
    const shown = unlabelled.slice(0, 5).join(", ") + (unlabelled.length > 5 ? ", …" : "");
    return { error: `${unlabelled.length} run(s) without a test label (${shown})` };
  }
  return { unit: "test" };
}

/** The sampling units: names (sorted) and, for each, the unit keys its runs saw. */
export interface Samples {
  names: string[];
  units: string[][];
}

/**
 * Groups per-run unit keys into sampling units: one per run, or one per test case (the
 * concatenated keys of its runs; duplicates are counted once by every estimator).
 */
export function samplesOf(
  unit: SamplingUnit,
  runs: readonly string[],
  unitsOfRun: ReadonlyMap<string, readonly string[]>,
  testOf: ReadonlyMap<string, string>,
): Samples {
  const key = (run: string): string => (unit === "run" ? run : testOf.get(run)!);
  const groups = new Map<string, string[]>();
  for (const run of runs) {
    const k = key(run);
    const g = groups.get(k) ?? [];
    g.push(...(unitsOfRun.get(run) ?? []));
    groups.set(k, g);
  }
  const names = [...groups.keys()].sort();
  return { names, units: names.map((n) => groups.get(n)!) };
}
