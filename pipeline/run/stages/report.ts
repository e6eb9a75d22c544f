/**
 * The report stage: one dataset of every entry's runs (their committed run folders hard-linked,
 * the tables rebuilt from the commit records as ingest rebuilds them), the profile and validation
 * reports copied into it, and `sandmine report` over it: report.html.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { refreshViews } from "../../dataset/views.ts";
import { writeReport } from "../../report/build.ts";
import type { StageContext } from "../types.ts";
import { dropView, linkDataset } from "./dataset-view.ts";
import { DATASET } from "./ingest.ts";

export interface ReportInputs {
  /** the study's name: the report names its dataset so, not by the stage's work folder */
  study: string;
  /** per entry: its ingest stage and the stages whose JSON reports go into the report */
  entries: { name: string; ingest: string; reports: string[] }[];
}

export function reportStage(inputs: ReportInputs) {
  return async (ctx: StageContext): Promise<void> => {
    const ds = join(ctx.dir, "dataset");
    for (const e of inputs.entries)
      linkDataset(join(ctx.dep(e.ingest), DATASET), ds, { images: [e.name], tables: false });
    mkdirSync(join(ds, ".staging", "report"), { recursive: true });
    await refreshViews(ds, join(ds, ".staging", "report"));
    dropView(join(ds, ".staging"));
    for (const e of inputs.entries) {
      const to = join(ds, "reports", e.name);
      mkdirSync(to, { recursive: true });
      for (const id of e.reports) {
        for (const f of readdirSync(ctx.dep(id))
          .filter((n) => n.endsWith(".json"))
          .sort())
          copyFileSync(join(ctx.dep(id), f), join(to, f));
      }
    }
    const r = await writeReport({ dataset: ds, out: ctx.dir, reports: [] });
    dropView(ds);
    const html = join(ctx.dir, "report.html");
    writeFileSync(html, readFileSync(html, "utf8").replaceAll(ds, `study ${inputs.study}`));
    ctx.log(`report.html: ${(r.bytes / 1024).toFixed(0)} KiB`);
  };
}
