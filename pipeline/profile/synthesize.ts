/**
 * Synthesizes and writes the profiles of one image: reads the facts, runs the pure stage per
 * architecture, adds the lints and comparisons, writes the profile files and the report beside
 * them. Used by `sandmine synthesize`, the demo and validation.
 */
import { basename, dirname, join } from "node:path";
import { mkdirSync } from "node:fs";
import { synthesize, type Synthesized } from "../../stages/profile/synthesize.ts";
import { dockerJson, k8sYaml, ociJson, type ProfileFormat } from "../../stages/profile/render.ts";
import { governedPhases } from "../../stages/profile/facts.ts";
import type { ProfileArch } from "../../stages/profile/translate.ts";
import type { ArgMode } from "../../schemas/profile-report.ts";
import { withDb, type Db } from "../duckdb.ts";
import { writeAtomic } from "../parquet.ts";
import { readFacts } from "./facts.ts";
/** The report as JSON text (insertion-ordered keys, so stable). */
const reportJson = (r: Synthesized["report"]): string => JSON.stringify(r, null, 1) + "\n";

export interface SynthesizeRequest {
  dataset: string;
  image: string;
  args: ArgMode;
  arches: readonly ProfileArch[];
  withRuntime: boolean;
  excludeRuns?: readonly string[];
}

/** Profiles (one per architecture) of one image, in memory. */
export async function synthesizeImage(db: Db, req: SynthesizeRequest): Promise<Synthesized[]> {
  const facts = await readFacts(db, req.dataset, {
    image: req.image,
    phases: governedPhases(req.withRuntime),
    ...(req.excludeRuns ? { excludeRuns: req.excludeRuns } : {}),
  });
  return req.arches.map((arch) =>
    synthesize(facts, { arch, args: req.args, withRuntime: req.withRuntime, dataset: req.dataset }),
  );
}

/** File names: FILE itself for one architecture and format, else FILE's stem with suffixes. */
export function outputPaths(
  file: string,
  arch: ProfileArch,
  format: ProfileFormat,
  several: { arches: boolean; formats: boolean },
): { profile: string; report: string } {
  const stem = join(dirname(file), basename(file).replace(/\.(json|ya?ml)$/, ""));
  const a = several.arches ? `.${arch}` : "";
  const ext = format === "k8s" ? ".yaml" : format === "oci" ? ".oci.json" : ".json";
  const profile = several.arches || several.formats ? `${stem}${a}${ext}` : file;
  return { profile, report: `${stem}${a}.report.json` };
}

export function renderProfile(s: Synthesized, format: ProfileFormat): string {
  if (format === "oci") return ociJson(s.profile);
  if (format === "k8s") {
    const r = s.report;
    return k8sYaml(
      s.profile,
      `${r.image}-${r.arch}-${r.args}`,
      `sandmine: image ${r.image}, ${r.arch}, args ${r.args}, ${r.runs.length} runs`,
    );
  }
  return dockerJson(s.profile);
}

/** Synthesizes and writes; returns what was written. */
export async function writeProfiles(
  req: SynthesizeRequest,
  file: string,
  formats: readonly ProfileFormat[],
): Promise<{ synthesized: Synthesized[]; files: string[] }> {
  const synthesized = await withDb((db) => synthesizeImage(db, req));
  const files: string[] = [];
  const several = { arches: req.arches.length > 1, formats: formats.length > 1 };
  mkdirSync(dirname(file), { recursive: true });
  for (const s of synthesized) {
    const arch = s.report.arch as ProfileArch;
    for (const f of formats) {
      const { profile } = outputPaths(file, arch, f, several);
      writeAtomic(profile, renderProfile(s, f));
      files.push(profile);
    }
    const { report } = outputPaths(file, arch, formats[0]!, several);
    writeAtomic(report, reportJson(s.report));
    files.push(report);
  }
  return { synthesized, files };
}
