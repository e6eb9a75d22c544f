/**
 * The synthesize stage of one mode: the entry image's x86_64 Docker profile (`synthesize --args
 * MODE`, runc's init included as validate needs it) and its report, NAME.MODE.json and
 * NAME.MODE.report.json.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StudyMode } from "../../../schemas/study.ts";
import { writeProfiles } from "../../profile/synthesize.ts";
import type { StageContext } from "../types.ts";
import { dropView, linkDataset } from "./dataset-view.ts";
import { DATASET } from "./ingest.ts";

export const profileName = (image: string, mode: StudyMode): string => `${image}.${mode}.json`;

export function synthesizeStage(image: string, mode: StudyMode, ingestId: string) {
  return async (ctx: StageContext): Promise<void> => {
    const view = linkDataset(join(ctx.dep(ingestId), DATASET), join(ctx.dir, "view"));
    const { synthesized } = await writeProfiles(
      { dataset: view, image, args: mode, arches: ["x86_64"], withRuntime: true },
      join(ctx.dir, profileName(image, mode)),
      ["docker"],
    );
    dropView(view);
    // the report names the dataset it was mined from: the ingest stage, not this stage's view
    const reportFile = join(ctx.dir, profileName(image, mode).replace(/\.json$/, ".report.json"));
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as { dataset: string };
    report.dataset = ingestId;
    writeFileSync(reportFile, JSON.stringify(report, null, 1) + "\n");
    ctx.log(`${image} --args ${mode}: ${synthesized[0]!.report.allowed} syscalls allowed`);
  };
}
