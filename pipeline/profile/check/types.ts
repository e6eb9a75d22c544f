/**
 * What `check` is asked and what it answers (pipeline/profile/check.ts).
 */
import type { TargetArch } from "../../../stages/seccomp/target.ts";

export interface CheckOptions {
  image: string;
  /** phases the filter governs; events of other phases are counted, not checked */
  phases: readonly string[];
  /** runs to check (all when absent) */
  runs?: readonly string[];
  /** at most this many denied events listed (all are counted) */
  limit: number;
  /** at most this many denied events listed of each syscall (the first ones); all when absent */
  perSyscall?: number;
  caps?: readonly string[];
}

/** One distinct denied call. */
export interface DeniedCall {
  syscall: string;
  /** the name checked on the profile's architecture (open → openat on aarch64) */
  checked_as: string;
  arch: string;
  phase: string;
  args: (string | null)[];
  events: number;
  runs: string[];
  processes: string[];
  action: string;
  errno?: number;
}

export interface DeniedEvent {
  run: string;
  capture: string;
  seq: number;
  ts_ns: string | null;
  pid: number;
  tid: number;
  comm: string | null;
  phase: string;
  syscall: string;
  args_raw: string;
}

export interface CheckResult {
  image: string;
  arch: TargetArch;
  events: number;
  checked: number;
  /** events of phases the filter does not govern (runc before it loads the filter) */
  not_governed: number;
  /** recorded calls the profile's architecture does not have (arch_prctl on aarch64) */
  not_on_arch: number;
  /** events whose verdict depends on an argument value the capture did not record */
  undetermined: number;
  denied: number;
  denied_workload: number;
  calls: DeniedCall[];
  denied_events: DeniedEvent[];
}
