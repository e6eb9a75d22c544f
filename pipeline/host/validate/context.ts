/**
 * What the steps of `sandmine validate` share: the options, a profile to validate, and the context
 * of one validation (the experiment, the cleanup list, the work folder and how to start the
 * experiment's container on the chosen backend).
 */
import type { DockerProfile } from "../../../schemas/seccomp-profile.ts";
import type { Cleanup } from "../cleanup.ts";
import type { LoadedExperiment } from "../experiment-file.ts";
import type { Confinement, Session } from "../types.ts";
import { hostInfo } from "../versions.ts";

export const PARTS = ["enforce", "complain", "probes", "overhead", "heldout"] as const;
export type Part = (typeof PARTS)[number];

export interface ValidateOptions {
  /** dataset the `synthesize` profiles (and held-out runs) are mined from. */
  dataset?: string;
  /** profile files given on the command line: replace the experiment's list. */
  profileFiles?: string[];
  parts: ReadonlySet<Part>;
  /** where synthesized profiles are written (default: a temp folder removed at the end). */
  profilesOut?: string;
  backend: "docker" | "runc";
  log: (s: string) => void;
}

/** A profile to validate: read from a file or synthesized from the dataset (`args`). */
export interface Resolved {
  label: string;
  file: string;
  source: string;
  profile: DockerProfile;
  args: "none" | "safe" | "learned" | null;
}

export interface Ctx {
  le: LoadedExperiment;
  o: ValidateOptions;
  cleanup: Cleanup;
  work: string;
  /** starts the experiment's container under `conf` (with the probes in it when asked). */
  start: (conf: Confinement, withProbes?: boolean) => Promise<Session>;
  /** the probe image holds the syscall micro-benchmark (the overhead part asked for). */
  bench?: boolean;
}

let hostCache: Awaited<ReturnType<typeof hostInfo>> | null = null;
/** This host's versions and settings, read once per process. */
export const hostInfoCached = async () => (hostCache ??= await hostInfo(null));
