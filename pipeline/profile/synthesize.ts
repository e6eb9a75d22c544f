/**
 * Synthesizes and writes the profiles of one image: reads the facts, runs the pure stage per
 * architecture, adds the lints and comparisons, writes the profile files and the report beside
 * them. `synthesizeProfiles` is the stage as `sandmine synthesize` runs it; the demo and validation
 * call `writeProfiles` with the image and formats they chose.
 */
import { basename, dirname, join } from "node:path";
import { existsSync, mkdirSync } from "node:fs";
import { synthesize, type Synthesized } from "../../stages/profile/synthesize.ts";
import { dockerJson, k8sYaml, ociJson, type ProfileFormat } from "../../stages/profile/render.ts";
import { governedPhases } from "../../stages/profile/facts.ts";
import type { ProfileArch } from "../../stages/profile/translate.ts";
import type { ArgMode } from "../../schemas/profile-report.ts";
import { DANGEROUS_SYSCALLS } from "../../schemas/dangerous-syscalls.ts";
import { compareWithDefault } from "../../stages/seccomp/compare.ts";
import { compileProfile } from "../../stages/seccomp/compile.ts";
import { lintProfile } from "../../stages/seccomp/lints.ts";
import { estimateSize } from "../../stages/seccomp/size.ts";
import type { Target } from "../../stages/seccomp/target.ts";
import { compileWithLibseccomp, libseccompUnavailable } from "../seccomp/libseccomp.ts";
import { selectImages } from "../analyze/prepare.ts";
import { withDb, type Db } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { readProfileFile } from "./load.ts";
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

/** Podman's default profile as Debian installs it (golang-github-containers-common). */
export const PODMAN_DEFAULT = "/usr/share/containers/seccomp.json";

/**
 * Adds what needs more than the facts: lints for the target, the filter size (estimated, and as
 * libseccomp compiles it when the profile is for this host's architecture), and the comparison
 * with runtime default profiles (`compare`: files, read with their includes/excludes for the target).
 */
export function assess(s: Synthesized, compare: readonly string[]): void {
  const target: Target = { arch: s.report.arch as ProfileArch };
  s.report.lints = lintProfile(s.profile, target);
  s.report.filter_size = { estimate: estimateSize(compileProfile(s.profile, target)).total };
  if (target.arch === hostArch() && libseccompUnavailable() === null) {
    s.report.filter_size.libseccomp = compileWithLibseccomp(s.profile, target).instructions;
  }
  s.report.defaults = compare.map((file) => {
    const def = readProfileFile(file);
    const c = compareWithDefault(s.profile, def, target);
    return {
      profile: file,
      allowed_default: c.default,
      allowed_ours: c.ours,
      both: c.both.length,
      only_default: c.onlyDefault,
      only_ours: c.onlyOurs,
      dangerous_removed: DANGEROUS_SYSCALLS.map((d) => d.name)
        .filter((n) => c.onlyDefault.includes(n))
        .sort(),
    };
  });
}

/** This machine's architecture in sandmine's names. */
function hostArch(): string {
  return process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch;
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

/** Profiles synthesized and written: one per architecture, and every file written. */
export interface WrittenProfiles {
  synthesized: Synthesized[];
  files: string[];
}

/** Synthesizes and writes; returns what was written. */
export async function writeProfiles(
  req: SynthesizeRequest,
  file: string,
  formats: readonly ProfileFormat[],
  compare: readonly string[] = existsSync(PODMAN_DEFAULT) ? [PODMAN_DEFAULT] : [],
): Promise<WrittenProfiles> {
  const synthesized = await withDb((db) => synthesizeImage(db, req));
  for (const s of synthesized) assess(s, compare);
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

/** What `synthesizeProfiles` writes: one image's profiles in some formats and architectures. */
export interface SynthesizeOptions {
  dataset: string;
  /** may be left out when the dataset has one image */
  image?: string;
  /** the profile file; with several formats or architectures its stem gets .ARCH and extensions */
  out: string;
  /** default: k8s when `out` ends in .yaml or .yml, else docker */
  formats?: readonly ProfileFormat[];
  args: ArgMode;
  arches: readonly ProfileArch[];
  withRuntime: boolean;
  /** runtime default profiles to compare with; default: Podman's when it is installed */
  compare?: readonly string[];
}

/** The synthesize stage: checks the request, synthesizes and writes; returns what was written. */
export async function synthesizeProfiles(o: SynthesizeOptions): Promise<WrittenProfiles> {
  const all = selectImages(o.dataset, o.image);
  if (all.length > 1) throw new UsageError(`--image is required: the dataset has ${all.join(", ")}`);
  const formats = o.formats ?? [/\.ya?ml$/.test(o.out) ? "k8s" : "docker"];
  const compare = o.compare ?? (existsSync(PODMAN_DEFAULT) ? [PODMAN_DEFAULT] : []);
  for (const f of compare) if (!existsSync(f)) throw new UsageError(`--compare ${f}: no such profile`);
  const { dataset, args, arches, withRuntime } = o;
  return writeProfiles({ dataset, image: all[0]!, args, arches, withRuntime }, o.out, formats, compare);
}
