/**
 * The check stage of one mode: the synthesized profile replayed through its seccomp semantics
 * against every recorded event of the image, and its lints (`sandmine check --json`), as
 * check.json. A denied event is a finding of the study, not a failed stage.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StudyMode } from "../../../schemas/study.ts";
import { toJson } from "../../analyze/write.ts";
import { checkFailed, checkProfileFile } from "../../profile/check-file.ts";
import type { StageContext } from "../types.ts";
import { dropView, linkDataset } from "./dataset-view.ts";
import { DATASET } from "./ingest.ts";
import { profileName } from "./synthesize.ts";

export const CHECK_FILE = "check.json";

export function checkStage(image: string, mode: StudyMode, ingestId: string, synthesizeId: string) {
  return async (ctx: StageContext): Promise<void> => {
    const view = linkDataset(join(ctx.dep(ingestId), DATASET), join(ctx.dir, "view"));
    const c = await checkProfileFile({
      profile: join(ctx.dep(synthesizeId), profileName(image, mode)),
      dataset: view,
      image,
      limit: 100,
      perSyscall: 3,
    });
    dropView(view);
    const out = {
      profile: profileName(image, mode),
      failed: checkFailed(c),
      denied: c.result.denied,
      result: c.result,
      lints: c.lints,
    };
    writeFileSync(join(ctx.dir, CHECK_FILE), toJson(out, 1) + "\n");
    ctx.log(`${image} ${mode}: ${c.result.checked} events checked, ${c.result.denied} denied`);
  };
}

/** What a check stage found: denied events and error lints. */
export function checkFindings(dir: string): string[] {
  const c = JSON.parse(readFileSync(join(dir, CHECK_FILE), "utf8")) as {
    denied: number;
    lints: { severity: string; code: string }[];
  };
  return [
    ...(c.denied > 0 ? [`${c.denied} recorded event(s) denied`] : []),
    ...c.lints.filter((l) => l.severity === "error").map((l) => `error lint ${l.code}`),
  ];
}
