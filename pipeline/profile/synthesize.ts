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
import {
  kubernetesLines,
  kubernetesProfile,
  namespaceProblem,
  type K8sVersion,
} from "../../stages/profile/k8s.ts";
import { governedPhases } from "../../stages/profile/facts.ts";
import type { ProfileArch } from "../../stages/profile/translate.ts";
import type { ArgMode } from "../../schemas/profile-report.ts";
import { DANGEROUS_SYSCALLS } from "../../schemas/dangerous-syscalls.ts";
import { DOCKER_DEFAULT_PROFILE, DOCKER_DEFAULT_SOURCE } from "../../schemas/generated/docker-default.ts";
import type { DefaultComparison } from "../../schemas/profile-report.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { compareWithDefault } from "../../stages/seccomp/compare.ts";
import { compileProfile } from "../../stages/seccomp/compile.ts";
import { lintProfile } from "../../stages/seccomp/lints.ts";
import { estimateSize } from "../../stages/seccomp/size.ts";
import type { Target } from "../../stages/seccomp/target.ts";
import { compileWithLibseccomp, libseccompUnavailable } from "../seccomp/libseccomp.ts";
import { selectImages } from "../analyze/prepare.ts";
import { imageRunDirs } from "../fleet/image-events.ts";
import { withDb, type Db } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { readProfileFile } from "./load.ts";
import { writeAtomic } from "../atomic-write.ts";
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

/** The `--compare` word for Docker's default profile, built in (schemas/generated/docker-default.ts). */
export const DOCKER_DEFAULT = "docker";

/** How the report names the built-in Docker default. */
export const DOCKER_DEFAULT_NAME = "Docker's default (built in: moby/profiles v0.2.3)";

/** The runtime defaults compared with when none are given: Docker's (built in), and Podman's when installed. */
export function defaultCompare(): string[] {
  return [DOCKER_DEFAULT, ...(existsSync(PODMAN_DEFAULT) ? [PODMAN_DEFAULT] : [])];
}

/** A runtime default to compare with: its name in the report, the profile, which runtime's it is. */
interface RuntimeDefault {
  profile: DockerProfile;
  name: string;
  runtime?: DefaultComparison["runtime"];
  source?: string;
}

const sameProfile = (a: DockerProfile, b: DockerProfile): boolean =>
  JSON.stringify(a, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)) ===
  JSON.stringify(b, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));

/** `docker` (the built-in table) or a profile file; a file equal to Docker's default is named as one. */
function runtimeDefault(which: string): RuntimeDefault {
  if (which === DOCKER_DEFAULT)
    return {
      profile: DOCKER_DEFAULT_PROFILE,
      name: DOCKER_DEFAULT_NAME,
      runtime: "docker",
      source: DOCKER_DEFAULT_SOURCE,
    };
  const profile = readProfileFile(which);
  if (sameProfile(profile, DOCKER_DEFAULT_PROFILE)) return { profile, name: which, runtime: "docker" };
  return { profile, name: which, ...(which === PODMAN_DEFAULT ? { runtime: "podman" as const } : {}) };
}

/**
 * Adds what needs more than the facts: lints for the target, the filter size (estimated, and as
 * libseccomp compiles it when the profile is for this host's architecture), and the comparison
 * with runtime default profiles (`compare`: `docker` for the built-in Docker default, or files,
 * read with their includes/excludes for the target).
 */
export function assess(s: Synthesized, compare: readonly string[]): void {
  const target: Target = { arch: s.report.arch as ProfileArch };
  s.report.lints = lintProfile(s.profile, target);
  s.report.filter_size = { estimate: estimateSize(compileProfile(s.profile, target)).total };
  if (target.arch === hostArch() && libseccompUnavailable() === null) {
    s.report.filter_size.libseccomp = compileWithLibseccomp(s.profile, target).instructions;
  }
  s.report.defaults = compare.map((which) => {
    const def = runtimeDefault(which);
    const c = compareWithDefault(s.profile, def.profile, target);
    return {
      profile: def.name,
      ...(def.runtime ? { runtime: def.runtime } : {}),
      ...(def.source ? { source: def.source } : {}),
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

/** How the SeccompProfile (format k8s) is written. */
export interface K8sRequest {
  /** default v1 (the CRD's storage version) */
  version?: K8sVersion;
  /** metadata.namespace (a DNS-1123 label) */
  namespace?: string;
}

/** The SeccompProfile's name and description for a synthesized profile. */
function k8sOptions(s: Synthesized, k8s: K8sRequest) {
  const r = s.report;
  return {
    name: `${r.image}-${r.arch}-${r.args}`,
    description: `sandmine: image ${r.image}, ${r.arch}, args ${r.args}, ${r.runs.length} runs`,
    ...k8s,
  };
}

export function renderProfile(s: Synthesized, format: ProfileFormat, k8s: K8sRequest = {}): string {
  if (format === "oci") return ociJson(s.profile);
  if (format === "k8s") return k8sYaml(s.profile, k8sOptions(s, k8s));
  return dockerJson(s.profile);
}

/** Profiles synthesized and written: one per architecture, and every file written. */
export interface WrittenProfiles {
  synthesized: Synthesized[];
  files: string[];
  /** lines to print about the SeccompProfiles written (`ARCH: …`; none without the k8s format) */
  kubernetes: string[];
}

/** Synthesizes and writes; returns what was written. */
export async function writeProfiles(
  req: SynthesizeRequest,
  file: string,
  formats: readonly ProfileFormat[],
  compare: readonly string[] = defaultCompare(),
  k8s: K8sRequest = {},
): Promise<WrittenProfiles> {
  const synthesized = await withDb((db) => synthesizeImage(db, req));
  for (const s of synthesized) {
    assess(s, compare);
    if (formats.includes("k8s")) s.report.kubernetes = kubernetesProfile(s.profile, k8sOptions(s, k8s));
  }
  const files: string[] = [];
  const several = { arches: req.arches.length > 1, formats: formats.length > 1 };
  mkdirSync(dirname(file), { recursive: true });
  for (const s of synthesized) {
    const arch = s.report.arch as ProfileArch;
    for (const f of formats) {
      const { profile } = outputPaths(file, arch, f, several);
      writeAtomic(profile, renderProfile(s, f, k8s));
      files.push(profile);
    }
    const { report } = outputPaths(file, arch, formats[0]!, several);
    writeAtomic(report, reportJson(s.report));
    files.push(report);
  }
  const kubernetes = synthesized.flatMap((s) =>
    s.report.kubernetes ? kubernetesLines(s.report.kubernetes).map((l) => `${s.report.arch}: ${l}`) : [],
  );
  return { synthesized, files, kubernetes };
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
  /** runtime defaults to compare with: `docker` (built in) or files; default: docker, and Podman's when installed */
  compare?: readonly string[];
  /** the SeccompProfile's API version (default v1) */
  k8sVersion?: K8sVersion;
  /** the SeccompProfile's metadata.namespace */
  namespace?: string;
}

/** The synthesize stage: checks the request, synthesizes and writes; returns what was written. */
export async function synthesizeProfiles(o: SynthesizeOptions): Promise<WrittenProfiles> {
  // an image with a run folder is there (looked up alone: with --all-images this runs per image,
  // and listing every image's runs each time grew with the fleet); otherwise the full check's error
  const all =
    o.image !== undefined && imageRunDirs(o.dataset, o.image).length > 0
      ? [o.image]
      : selectImages(o.dataset, o.image);
  if (all.length > 1) throw new UsageError(`--image is required: the dataset has ${all.join(", ")}`);
  const formats = o.formats ?? [/\.ya?ml$/.test(o.out) ? "k8s" : "docker"];
  const compare = o.compare ?? defaultCompare();
  for (const f of compare)
    if (f !== DOCKER_DEFAULT && !existsSync(f)) throw new UsageError(`--compare ${f}: no such profile`);
  if (o.namespace !== undefined) {
    const problem = namespaceProblem(o.namespace);
    if (problem) throw new UsageError(`--namespace: ${problem}`);
  }
  const k8s: K8sRequest = {
    ...(o.k8sVersion ? { version: o.k8sVersion } : {}),
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
  };
  const { dataset, args, arches, withRuntime } = o;
  return writeProfiles({ dataset, image: all[0]!, args, arches, withRuntime }, o.out, formats, compare, k8s);
}
