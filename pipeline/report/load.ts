/**
 * Builds the ReportData of a dataset: runs and rejects from its tables, per image the results of
 * characterize and coverage (run with coverage's default options, so the figures are the ones
 * `sandmine characterize|coverage --json` print; both write their results as they always do), the
 * calls per phase, and any profile or validation reports in the dataset or the given folders.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ARG_VIEW_FIELDS,
  LEVEL_VIEW_FIELDS,
  REPORT_DATA_VERSION,
  RULE_VIEW_FIELDS,
  SYSCALL_VIEW_FIELDS,
  pickFields,
  type ImageView,
  type ReportData,
} from "../../stages/report/model.ts";
import { characterize } from "../analyze/characterize.ts";
import { DEFAULT_COVERAGE, coverage } from "../analyze/coverage.ts";
import { withDb } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { readReachSummary } from "../reach/characterize-hook.ts";
import { findReports } from "./found.ts";
import { readPhases, readRejects, readRuns } from "./read-dataset.ts";

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
      const reach = readReachSummary(dataset, c.image);
      images.push({
        image: c.image,
        runs: c.runs,
        events: c.events,
        rules: pickFields(c.rules, RULE_VIEW_FIELDS),
        syscalls: c.syscalls.map((s) => pickFields(s, SYSCALL_VIEW_FIELDS)),
        args: c.args.map((a) => pickFields(a, ARG_VIEW_FIELDS)),
        phases: await readPhases(db, dataset, c.image),
        coverage: {
          type: pickFields(cov.levels.type, LEVEL_VIEW_FIELDS),
          arg: pickFields(cov.levels.arg, LEVEL_VIEW_FIELDS),
        },
        ...(reach ? { reach } : {}),
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
