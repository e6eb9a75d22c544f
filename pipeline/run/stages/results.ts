/**
 * The results stage: the study's small outputs gathered into one folder (what is committed under
 * datasets/results/NAME/): study.json (the study, every stage's key and code version), report.html,
 * and per entry its image and record summaries, characterize and coverage tables, profiles and
 * their reports, check and validation reports, and the dataset's runs table. The events stay in
 * the cache.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import packageJson from "../../../package.json" with { type: "json" };
import { ROOT } from "../code-version.ts";
import type { StageContext } from "../types.ts";
import { DATASET } from "./ingest.ts";

/** Where each stage's files go in the results folder (stage id → sub-folder; files: which to take). */
export interface ResultsPlan {
  study: unknown;
  stages: string[];
  copies: { from: string; to: string; files?: string[] }[];
  runsTables: { ingest: string; to: string }[];
}

const copyAll = (from: string, to: string, files?: readonly string[]): void => {
  mkdirSync(to, { recursive: true });
  for (const f of (files ?? readdirSync(from)).filter((n) => n !== "traces").sort()) {
    const p = join(from, f);
    if (!existsSync(p)) continue;
    if (f === "image.json") writeFileSync(join(to, f), imageJsonInRepo(p));
    else copyFileSync(p, join(to, f));
  }
};

/**
 * image.json names its input files by their path; those in the checkout (the image context
 * outside the experiment's folder) by their absolute path. Results are committed: inside the
 * checkout they are named from the repository root (the Debian tree's dpkg status stays absolute:
 * it is the machine's image cache, SANDMINE_CACHE).
 */
function imageJsonInRepo(file: string): string {
  const image = JSON.parse(readFileSync(file, "utf8")) as { inputs?: Record<string, string> };
  if (image.inputs)
    image.inputs = Object.fromEntries(
      Object.entries(image.inputs).map(([k, v]) => [
        k.startsWith(ROOT + sep) ? relative(ROOT, k).split(sep).join("/") : k,
        v,
      ]),
    );
  return JSON.stringify(image, null, 1) + "\n";
}

export function resultsStage(plan: ResultsPlan) {
  return async (ctx: StageContext): Promise<void> => {
    for (const c of plan.copies) copyAll(ctx.dep(c.from), join(ctx.dir, c.to), c.files);
    for (const r of plan.runsTables) {
      mkdirSync(join(ctx.dir, r.to), { recursive: true });
      copyFileSync(join(ctx.dep(r.ingest), DATASET, "runs.parquet"), join(ctx.dir, r.to, "runs.parquet"));
    }
    const stages = plan.stages.map((id) => {
      const rec = ctx.record(id);
      return { id, key: rec.key, code: rec.parts.code, output: rec.output };
    });
    writeFileSync(
      join(ctx.dir, "study.json"),
      JSON.stringify({ sandmine: packageJson.version, study: plan.study, stages }, null, 1) + "\n",
    );
  };
}
