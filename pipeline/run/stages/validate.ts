/**
 * The validate stage of one part (enforce, complain, probes, overhead, heldout): `validate --only
 * PART` of the entry's experiment with its synthesized profiles, on a linked view of its dataset
 * (held-out runs synthesize from it); writes PART.json, the validation report. A regression is a
 * finding of the study, not a failed stage.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StudyMode, StudyPart } from "../../../schemas/study.ts";
import type { ValidationReport } from "../../../schemas/validation-report.ts";
import { validate } from "../../host/validate.ts";
import type { ResolvedEntry, StageContext } from "../types.ts";
import { dropView, linkDataset } from "./dataset-view.ts";
import { DATASET } from "./ingest.ts";
import { profileName } from "./synthesize.ts";

export const validateFile = (part: StudyPart): string => `${part}.json`;

export function validateStage(
  e: ResolvedEntry,
  part: StudyPart,
  ingestId: string,
  synthesizeIds: Record<StudyMode, string>,
) {
  return async (ctx: StageContext): Promise<void> => {
    const view = linkDataset(join(ctx.dep(ingestId), DATASET), join(ctx.dir, "view"));
    try {
      const report = await validate(e.experiment!, {
        dataset: view,
        profileFiles: e.modes.map((m) => join(ctx.dep(synthesizeIds[m]), profileName(e.name, m))),
        parts: new Set([part]),
        backend: e.backend,
        log: ctx.log,
      });
      writeFileSync(join(ctx.dir, validateFile(part)), JSON.stringify(report, null, 1) + "\n");
    } finally {
      dropView(view);
    }
  };
}

/** What a validate stage found: regressions under enforcement. */
export function validateFindings(part: StudyPart) {
  return (dir: string): string[] => {
    const r = JSON.parse(readFileSync(join(dir, validateFile(part)), "utf8")) as ValidationReport;
    return r.profiles.flatMap((p) =>
      (p.enforce?.regressions ?? 0) > 0 ? [`${p.label}: ${p.enforce!.regressions} regression(s)`] : [],
    );
  };
}
