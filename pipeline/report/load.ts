/**
 * Builds the ReportData of a dataset: runs and rejects from its tables, per image the results of
 * characterize and coverage (run with coverage's default options, so the figures are the ones
 * `sandmine characterize|coverage --json` print; both write their results as they always do), the
 * calls per phase, and any profile or validation reports in the dataset or the given folders.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  REPORT_DATA_VERSION,
  type ImageView,
  type LevelView,
  type ReportData,
} from "../../stages/report/model.ts";
import { characterize } from "../analyze/characterize.ts";
import { DEFAULT_COVERAGE, coverage, type LevelCoverage } from "../analyze/coverage.ts";
import { withDb } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { findReports } from "./found.ts";
import { readPhases, readRejects, readRuns } from "./tables.ts";

function levelView(l: LevelCoverage): LevelView {
  return {
    runs: l.runs,
    observed: l.observed,
    q1: l.q1,
    q2: l.q2,
    chao2: l.chao2,
    chao2_lower: l.chao2_lower,
    chao2_upper: l.chao2_upper,
    jack1: l.jack1,
    p_new: l.p_new,
    expected_new: l.expected_new,
    runs_to_95: l.runs_to_95,
    verdict: l.verdict,
    reason: l.reason,
    curve: l.curve,
  };
}

interface Manifest {
  schema_version: number;
  tool: { name: string; version: string };
  inputs: unknown[];
}

/** Everything the notebooks and the report show about `dataset`; `more` are folders with reports. */
export async function loadReportData(dataset: string, more: readonly string[] = []): Promise<ReportData> {
  const manifestFile = join(dataset, "manifest.json");
  if (!existsSync(manifestFile)) {
    throw new UsageError(`${dataset}: not a sandmine dataset (no manifest.json); run sandmine ingest first`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  const characterized = await characterize({ dataset });
  const covered = await coverage({ dataset }, DEFAULT_COVERAGE);
  return withDb(async (db) => {
    const images: ImageView[] = [];
    for (const c of characterized) {
      const cov = covered.find((x) => x.image === c.image);
      if (!cov) throw new Error(`internal: no coverage for image ${c.image}`);
      images.push({
        image: c.image,
        runs: c.runs,
        events: c.events,
        rules: {
          type_rules: c.rules.type_rules,
          type_arg_rules: c.rules.type_arg_rules,
          type_rules_all_phases: c.rules.type_rules_all_phases,
        },
        syscalls: c.syscalls.map(({ syscall, calls, share, runs, phases, processes }) => ({
          syscall,
          calls,
          share,
          runs,
          phases,
          processes,
        })),
        args: c.args.map(({ syscall, pos, name, model, calls, distinct_values, top_values }) => ({
          syscall,
          pos,
          name,
          model,
          calls,
          distinct_values,
          top_values,
        })),
        phases: await readPhases(db, dataset, c.image),
        coverage: { type: levelView(cov.levels.type), arg: levelView(cov.levels.arg) },
      });
    }
    const found = findReports([dataset, ...more]);
    return {
      version: REPORT_DATA_VERSION,
      dataset,
      tool: manifest.tool,
      schema_version: manifest.schema_version,
      captures: manifest.inputs.length,
      runs: await readRuns(db, dataset),
      rejects: await readRejects(db, dataset),
      images,
      thresholds: DEFAULT_COVERAGE.thresholds,
      profiles: found.profiles,
      validations: found.validations,
    };
  });
}
