/**
 * The validate stage of one part (enforce, complain, probes, overhead, heldout), or of all an
 * entry's parts (`validate_stages: one`): `validate --only PART[,…]` of the entry's experiment with `profiles:` set to the entry's modes (`synthesize: {args:
 * MODE}`, labelled by the mode), on a linked view of its dataset. validate synthesizes them from
 * the view as the synthesize stages did (same options, same bytes); it has to, since held-out
 * runs mine each profile again without one run. Writes PART.json, the validation report. A
 * regression is a finding of the study, not a failed stage.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import type { StudyMode, StudyPart } from "../../../schemas/study.ts";
import type { ValidationReport } from "../../../schemas/validation-report.ts";
import { validate } from "../../host/validate.ts";
import { ROOT } from "../code-version.ts";
import type { ResolvedEntry, StageContext } from "../types.ts";
import { dropView, linkDataset } from "./dataset-view.ts";
import { DATASET } from "./ingest.ts";

/** The validate stages of an entry: one per part (PART.json), or one for all (validate.json). */
export function validateGroups(e: ResolvedEntry): { id: string; file: string; parts: StudyPart[] }[] {
  if (e.parts.length === 0) return [];
  if (e.validateStages === "one")
    return [{ id: `${e.name}/validate`, file: "validate.json", parts: e.parts }];
  return e.parts.map((p) => ({ id: `${e.name}/validate-${p}`, file: `${p}.json`, parts: [p] }));
}

export function validateStage(e: ResolvedEntry, parts: readonly StudyPart[], file: string, ingestId: string) {
  return async (ctx: StageContext): Promise<void> => {
    const view = linkDataset(join(ctx.dep(ingestId), DATASET), join(ctx.dir, "view"));
    const le = e.experiment!;
    const profiles = e.modes.map((args: StudyMode) => ({ synthesize: { args } }));
    try {
      const report = await validate(
        { ...le, exp: { ...le.exp, profiles } },
        {
          dataset: view,
          parts: new Set(parts),
          backend: e.backend,
          log: ctx.log,
        },
      );
      writeFileSync(join(ctx.dir, file), JSON.stringify(withoutMachinePaths(report), null, 1) + "\n");
    } finally {
      dropView(view);
    }
  };
}

/**
 * The report with the paths of this machine made relative (results are committed, and a stage's
 * output must not depend on where the cache is): the experiment file from the repository, the
 * profiles (written in the stage's scratch folder, removed after it) by their file name.
 */
function withoutMachinePaths(r: ValidationReport): ValidationReport {
  const rel = relative(ROOT, r.experimentFile);
  return {
    ...r,
    experimentFile: rel.startsWith("..") ? basename(r.experimentFile) : rel.split(sep).join("/"),
    profiles: r.profiles.map((p) => ({
      ...p,
      file: basename(p.file),
      heldOut: p.heldOut?.map((h) => ({ ...h, profile: basename(h.profile) })) ?? null,
    })),
  };
}

/** What a validate stage found: regressions under enforcement. */
export function validateFindings(file: string) {
  return (dir: string): string[] => {
    const r = JSON.parse(readFileSync(join(dir, file), "utf8")) as ValidationReport;
    return r.profiles.flatMap((p) =>
      (p.enforce?.regressions ?? 0) > 0 ? [`${p.label}: ${p.enforce!.regressions} regression(s)`] : [],
    );
  };
}
