/**
 * The JSON report `synthesize` writes beside each profile (`NAME.report.json`): where every rule
 * came from, what the argument rules restrict, the path model seccomp cannot enforce, the lints,
 * and the comparison with the runtimes' default profiles. Read by `check`, `diff`, the notebooks
 * and the HTML report.
 */

/** Argument modes (`--args`). */
export const ARG_MODES = ["none", "safe", "learned"] as const;
export type ArgMode = (typeof ARG_MODES)[number];

/** Where one syscall was observed. */
export interface Provenance {
  calls: number;
  runs: string[];
  /** processes (comm) that made the call, sorted */
  processes: string[];
  /** phases it was seen in (init = runc after loading the filter, before the entrypoint) */
  phases: string[];
  /** true when it was seen only in phase init: the runtime needs it, the workload does not */
  runtime_only: boolean;
}

/** Why a syscall is in the profile, or why it is denied with its own errno. */
export interface SyscallEntry {
  /** name in the profile's architecture */
  name: string;
  verdict: "allow" | "allow-conditional" | "enosys";
  /** observed name when mapped from another architecture (open → openat) */
  mapped_from?: string[];
  provenance?: Provenance;
  /** argument restrictions, in words (one per rule) */
  conditions?: string[];
  /** why an argument was left unrestricted */
  notes?: string[];
}

/** The observed values of a path argument (reported, never enforced: seccomp cannot read paths safely). */
export interface PathModel {
  syscall: string;
  arg: string;
  calls: number;
  paths: number;
  directories: { dir: string; calls: number }[];
}

export interface LintEntry {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  rule?: number;
  names?: string[];
}

/** Syscalls allowed by a runtime's default profile compared with ours. */
export interface DefaultComparison {
  /** the file compared with, or the name of a built-in default ("Docker's default (built in: …)") */
  profile: string;
  /** which runtime's default it is, when known (the built-in table, Podman's file, or a file equal to either) */
  runtime?: "docker" | "podman";
  /** where a built-in default came from (repository, path, commit, blob, licence) */
  source?: string;
  allowed_default: number;
  allowed_ours: number;
  both: number;
  only_default: string[];
  only_ours: string[];
  /** syscalls with known exploits (schemas/dangerous-syscalls.ts) the default allows and ours does not */
  dangerous_removed: string[];
}

/** The Security Profiles Operator SeccompProfile written for this profile, and how a pod uses it. */
export interface KubernetesProfile {
  /** `security-profiles-operator.x-k8s.io/v1` or `/v1beta1` */
  api_version: string;
  kind: "SeccompProfile";
  name: string;
  /** metadata.namespace as written, or null */
  namespace: string | null;
  /** the CRD's scope (the bundled CRD: Cluster, so the API server clears metadata.namespace) */
  scope: string;
  /** the `localhostProfile` SPO installs it as (relative to the kubelet's seccomp root) */
  localhost_profile: string;
  /** where SPO releases with a namespaced SeccompProfile install it (only with a namespace) */
  localhost_profile_namespaced: string | null;
  /** the pod's or container's securityContext that uses it */
  security_context: { seccompProfile: { type: "Localhost"; localhostProfile: string } };
  /** the errno of the default action under SPO, whose spec has no defaultErrnoRet */
  default_errno: { errno: number | null; same_as_docker: boolean; note: string };
  notes: string[];
}

export interface ProfileReport {
  sandmine_report: 1;
  image: string;
  arch: string;
  args: ArgMode;
  with_runtime: boolean;
  dataset: string;
  runs: string[];
  events: number;
  /** events in the governed phases (init unless left out, workload, unknown) */
  governed_events: number;
  allowed: number;
  conditional: number;
  enosys: string[];
  syscalls: SyscallEntry[];
  /** observed syscalls the target architecture does not have and nothing maps to */
  dropped: { name: string; reason: string }[];
  /** the paper's rule counts for this profile's mode */
  rules: { profile_rules: number; type_rules: number; type_arg_rules: number };
  paths: PathModel[];
  lints: LintEntry[];
  defaults: DefaultComparison[];
  /** classic-BPF instructions: estimate, and libseccomp's count when measured */
  filter_size: { estimate: number; libseccomp?: number };
  /** the SeccompProfile written beside (when the k8s format was written) */
  kubernetes?: KubernetesProfile;
}
