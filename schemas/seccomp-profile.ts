/**
 * The seccomp profile formats sandmine reads and writes: Docker/moby profile JSON (a superset of
 * the OCI runtime-spec `LinuxSeccomp`), per `../shared/docs/seccomp.md` §3.1–3.3. Values are
 * numbers when they fit in a double exactly, otherwise bigint is used in memory and written as a
 * bare JSON integer (never a string: runtimes parse uint64).
 */

/** Actions (OCI `LinuxSeccompAction`). */
export const ACTIONS = [
  "SCMP_ACT_KILL",
  "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD",
  "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO",
  "SCMP_ACT_TRACE",
  "SCMP_ACT_ALLOW",
  "SCMP_ACT_LOG",
  "SCMP_ACT_NOTIFY",
] as const;
export type Action = (typeof ACTIONS)[number];

/** Comparison operators (OCI `LinuxSeccompOperator`); all compare 64-bit unsigned values. */
export const OPERATORS = [
  "SCMP_CMP_NE",
  "SCMP_CMP_LT",
  "SCMP_CMP_LE",
  "SCMP_CMP_EQ",
  "SCMP_CMP_GE",
  "SCMP_CMP_GT",
  "SCMP_CMP_MASKED_EQ",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** libseccomp architecture tokens sandmine knows. */
export type ScmpArch =
  "SCMP_ARCH_X86_64" | "SCMP_ARCH_X86" | "SCMP_ARCH_X32" | "SCMP_ARCH_AARCH64" | "SCMP_ARCH_ARM";

/** One argument comparison: `(arg[index] op value)`; MASKED_EQ is `(arg & value) == valueTwo`. */
export interface ArgCmp {
  index: number;
  value: number | bigint;
  valueTwo?: number | bigint;
  op: Operator;
}

/** Docker `includes` / `excludes` filters (not part of OCI). */
export interface Filter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

/** One rule; all `args` are ANDed; several rules for one name are ORed. */
export interface SyscallRule {
  names: string[];
  action: Action;
  errnoRet?: number;
  args?: ArgCmp[];
  comment?: string;
  includes?: Filter;
  excludes?: Filter;
}

export interface ArchMapEntry {
  architecture: ScmpArch | string;
  subArchitectures: (ScmpArch | string)[];
}

/** Docker/moby profile JSON (`docker run --security-opt seccomp=FILE`). */
export interface DockerProfile {
  defaultAction: Action;
  defaultErrnoRet?: number;
  architectures?: (ScmpArch | string)[];
  archMap?: ArchMapEntry[];
  flags?: string[];
  syscalls: SyscallRule[];
}

/** OCI runtime-spec `linux.seccomp` (no Docker extensions). */
export type OciSeccomp = Omit<DockerProfile, "archMap"> & {
  syscalls: Omit<SyscallRule, "comment" | "includes" | "excludes">[];
};
