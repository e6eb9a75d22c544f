/**
 * The report's at-a-glance risk summary, per image: the coverage verdict and P(new), what each
 * mined profile allows against the runtime default (Docker's, from the profile report or, when the
 * report has no comparison with it, computed here from the built-in table), the dangerous syscalls
 * still allowed with their CVEs (named once per image, with the profiles that allow them), the
 * attack probes blocked and the false alarms validation found. Pure: from the ReportData alone.
 */
import { DANGEROUS_SYSCALLS, type DangerousSyscall } from "../../schemas/dangerous-syscalls.ts";
import { DOCKER_DEFAULT_PROFILE } from "../../schemas/generated/docker-default.ts";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import { compileProfile } from "../seccomp/compile.ts";
import { allowedNames } from "../seccomp/lints.ts";
import type { TargetArch } from "../seccomp/target.ts";
import type { ProfileView, ReportData, ValidationView } from "./model.ts";
import { profileName } from "./plots-results.ts";

/** One mined profile against the runtime default. */
export interface ProfileRisk {
  /** the profile's short name (its report file without folders and .report.json) */
  name: string;
  file: string;
  arch: string;
  args: string;
  allowed: number;
  /** which default it was compared with ("Docker's default …", or a file) */
  against: string;
  allowed_default: number;
  /** syscalls the default allows and the profile does not */
  removed: number;
  /** syscalls the profile allows and the default does not */
  added: string[];
  /** true when the comparison was computed here (the report had none with Docker's default) */
  computed: boolean;
}

/** A dangerous syscall some profile of the image still allows. */
export interface DangerRisk extends DangerousSyscall {
  /** short names of the profiles that allow it, and how ("allowed", "for some arguments") */
  allowed_by: { profile: string; how: string }[];
}

/** A finding of validation that a profile denied what the workload needs. */
export interface FalseAlarm {
  profile: string;
  /** "use case dav-copy-move fails", "held-out run-04: test x fails", "complain: poll in http-get" */
  what: string;
}

export interface ProbeRisk {
  profile: string;
  blocked: number;
  total: number;
  not_blocked: string[];
}

export interface ImageRisk {
  image: string;
  /** coverage of the syscall types and of the argument rules; null when the dataset has no such image */
  coverage: { runs: number; verdict: string; p_new: number; arg_verdict: string; arg_p_new: number } | null;
  profiles: ProfileRisk[];
  dangers: DangerRisk[];
  /** null: no validation report for this image */
  probes: ProbeRisk[] | null;
  false_alarms: FalseAlarm[] | null;
  /** validation reports of this image (files) */
  validations: string[];
}

const ALLOWED = new Set(["allow", "allow-conditional"]);

const dockerAllowed = new Map<string, Set<string>>();

/** What Docker's default (the built-in table) allows on `arch`, with Docker's default capabilities. */
function dockerDefaultAllows(arch: string): Set<string> {
  let s = dockerAllowed.get(arch);
  if (!s) {
    const a = allowedNames(compileProfile(DOCKER_DEFAULT_PROFILE, { arch: arch as TargetArch }));
    s = new Set([...a.always, ...a.conditional]);
    dockerAllowed.set(arch, s);
  }
  return s;
}

function profileRisk(p: ProfileView): ProfileRisk {
  const r: ProfileReport = p.report;
  const base = { name: profileName(p), file: p.file, arch: r.arch, args: r.args, allowed: r.allowed };
  const docker = r.defaults.find((d) => d.runtime === "docker");
  if (docker)
    return {
      ...base,
      against: docker.profile,
      allowed_default: docker.allowed_default,
      removed: docker.only_default.length,
      added: docker.only_ours,
      computed: false,
    };
  const theirs = dockerDefaultAllows(r.arch);
  const ours = r.syscalls.filter((s) => ALLOWED.has(s.verdict)).map((s) => s.name);
  const mine = new Set(ours);
  return {
    ...base,
    against: "Docker's default (built in: moby/profiles v0.2.3)",
    allowed_default: theirs.size,
    removed: [...theirs].filter((n) => !mine.has(n)).length,
    added: ours.filter((n) => !theirs.has(n)).sort(),
    computed: true,
  };
}

function dangers(profiles: readonly ProfileView[]): DangerRisk[] {
  return DANGEROUS_SYSCALLS.flatMap((d) => {
    const allowed_by = profiles.flatMap((p) => {
      const e = p.report.syscalls.find((s) => s.name === d.name && ALLOWED.has(s.verdict));
      return e
        ? [{ profile: profileName(p), how: e.verdict === "allow" ? "allowed" : "for some arguments" }]
        : [];
    });
    return allowed_by.length ? [{ ...d, allowed_by }] : [];
  });
}

function falseAlarms(v: ValidationReport): FalseAlarm[] {
  return v.profiles.flatMap((p) => [
    ...(p.enforce?.started === false
      ? [{ profile: p.label, what: `the container did not start: ${p.enforce.startError ?? "?"}` }]
      : []),
    ...(p.enforce?.rows ?? [])
      .filter((r) => r.regression)
      .map((r) => ({
        profile: p.label,
        what: `${r.kind === "use_case" ? "use case" : "test"} ${r.name} passes unconfined, fails under the profile`,
      })),
    ...(p.heldOut ?? []).flatMap((h) =>
      h.failed.map((t) => ({
        profile: p.label,
        what: `profile mined without ${h.heldOut}: test ${t} fails`,
      })),
    ),
    ...(p.complain?.summary ?? [])
      .filter((s) => s.attributedTo.some((t) => !["startup", "between", "shutdown"].includes(t)))
      .map((s) => ({
        profile: p.label,
        what: `complain mode: ${s.syscall} denied ${s.count}× during ${s.attributedTo.join(", ")}`,
      })),
  ]);
}

function probes(v: ValidationReport): ProbeRisk[] {
  return v.profiles
    .filter((p) => p.probes)
    .map((p) => ({
      profile: p.label,
      blocked: p.probes!.filter((x) => x.blocked).length,
      total: p.probes!.length,
      not_blocked: p.probes!.filter((x) => !x.blocked).map((x) => x.what),
    }));
}

/** The image a validation report is about: the dataset image named like its experiment, else the experiment. */
function validationImage(v: ValidationView, images: readonly string[]): string {
  const r = v.report;
  const repo = r.image.replace(/:[^/]*$/, "").replace(/^.*\//, "");
  return images.find((i) => i === r.experiment) ?? images.find((i) => i === repo) ?? r.experiment;
}

/** The summary of every image of the dataset, then of images only profile or validation reports name. */
export function riskSummary(d: ReportData): ImageRisk[] {
  const dataset = d.images.map((im) => im.image);
  const byValidation = new Map<string, ValidationView[]>();
  for (const v of d.validations) {
    const image = validationImage(v, dataset);
    byValidation.set(image, [...(byValidation.get(image) ?? []), v]);
  }
  const names = [
    ...dataset,
    ...[...new Set([...d.profiles.map((p) => p.report.image), ...byValidation.keys()])]
      .filter((n) => !dataset.includes(n))
      .sort(),
  ];
  return names.map((image) => {
    const im = d.images.find((x) => x.image === image);
    const profiles = d.profiles.filter((p) => p.report.image === image);
    const vals = byValidation.get(image) ?? [];
    return {
      image,
      coverage: im
        ? {
            runs: im.coverage.type.runs,
            verdict: im.coverage.type.verdict,
            p_new: im.coverage.type.p_new,
            arg_verdict: im.coverage.arg.verdict,
            arg_p_new: im.coverage.arg.p_new,
          }
        : null,
      profiles: profiles.map(profileRisk),
      dangers: dangers(profiles),
      probes: vals.length ? vals.flatMap((v) => probes(v.report)) : null,
      false_alarms: vals.length ? vals.flatMap((v) => falseAlarms(v.report)) : null,
      validations: vals.map((v) => v.file),
    };
  });
}
