/**
 * The JSON report `sandmine validate` writes (and the notebooks read). One report per experiment;
 * one `ProfileResult` per validated profile. Field names are stable; times are ISO-8601 UTC,
 * durations in seconds, errno values as numbers with their names beside them.
 */

export const VALIDATION_REPORT_VERSION = 1;

/** What the host ran with: shapes every verdict (libseccomp drops names it does not know). */
export interface HostInfo {
  kernel: string; // uname -srm
  os: string; // PRETTY_NAME from /etc/os-release
  docker: string | null; // server version; null with the runc backend
  runc: string; // first line of `runc --version`
  libseccomp: string; // as runc reports it
  strace: string | null;
  cores: number;
  /** /proc/sys/kernel/seccomp/actions_logged: "log" must be in it for complain mode. */
  actionsLogged: string[];
}

/** One command's outcome (a test, use case, probe or benchmark round). */
export interface CommandOutcome {
  status: number | null; // exit status; null when killed by a signal or timed out
  signal: string | null;
  timedOut: boolean;
  seconds: number;
  /** the last 2 KiB of stdout and stderr, for the reader. */
  stdoutTail: string;
  stderrTail: string;
}

/** A test or use case under one configuration, and whether its expectations held. */
export interface TestOutcome extends CommandOutcome {
  name: string;
  kind: "test" | "use_case";
  passed: boolean;
  /** why it failed: "exit status 1, expected 0", "stdout does not match /…/" … */
  reason: string | null;
}

/** Per test: unconfined vs the profile, and the verdict that makes validate exit 1. */
export interface EnforceRow {
  name: string;
  kind: "test" | "use_case";
  unconfined: TestOutcome;
  enforced: TestOutcome;
  /** passes unconfined, fails under the profile: a false alarm (exit status 1). */
  regression: boolean;
}

export interface EnforceResult {
  /** the container started and became ready under the profile. */
  started: boolean;
  startError: string | null;
  rows: EnforceRow[];
  regressions: number;
}

/** One kernel seccomp audit record (`type=1326`) seen in complain mode. */
export interface Denial {
  time: string; // from audit(EPOCH.ms:serial)
  serial: number;
  pid: number;
  comm: string;
  exe: string;
  arch: string; // x86_64 | i386 | aarch64 | the raw AUDIT_ARCH hex when unknown
  nr: number;
  syscall: string; // name for `arch`, or "nr:NNN" when the table does not know it
  /** test or use case whose time window holds the record; "startup", "between" or "shutdown" otherwise. */
  attributedTo: string;
}

export interface ComplainResult {
  started: boolean;
  startError: string | null;
  tests: TestOutcome[];
  denials: Denial[];
  /** distinct (syscall) → count and the tests they were attributed to. */
  summary: { syscall: string; count: number; attributedTo: string[] }[];
  /** false when the log may be incomplete; `incompleteReasons` says why. */
  complete: boolean;
  incompleteReasons: string[];
}

/** One attack probe under one configuration. */
export interface ProbeRun {
  /** errno the attempted call returned; 0 when it succeeded; null when the probe gave no answer. */
  errno: number | null;
  errnoName: string | null;
  status: number | null;
  output: string;
}

export interface ProbeResult {
  name: string;
  syscall: string;
  what: string; // "unshare(CLONE_NEWUSER)" …
  /** the profile's verdict for this call (runc semantics): errno expected, or "allow". */
  expected: { action: string; errno: number | null; errnoName: string | null };
  mined: ProbeRun;
  runtimeDefault: ProbeRun;
  unconfined: ProbeRun;
  /** the mined profile denied the call with the expected errno. */
  blocked: boolean;
}

/** Throughput of one configuration over the rounds, and its ratio to unconfined. */
export interface OverheadRow {
  config: string; // "unconfined" | "docker-default" | the profile's label
  rounds: number[]; // throughput per round, in round order
  median: number;
  min: number;
  max: number;
  /** median / unconfined median; with the range of per-round ratios (round i vs unconfined round i). */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** the median of the per-round ratios (round i against unconfined round i: the load of the
   * round divides out) with its bootstrap 95 % interval (stages/host/bootstrap.ts). */
  ratioPaired?: number;
  ratioLo?: number;
  ratioHi?: number;
  /** CPU seconds of the container's cgroup per operation, per round (null: not measured). */
  cpuPerOp?: (number | null)[];
  /** the median per-round ratio of CPU per operation to unconfined's, with its bootstrap 95 % interval. */
  cpuRatio?: number | null;
  cpuRatioLo?: number | null;
  cpuRatioHi?: number | null;
}

/** The syscall micro-benchmark: ns per call of each hot call, per configuration. */
export interface MicroBenchRow {
  config: string;
  call: string;
  /** what the numbers are: the bench thread's CPU ns per call, or wall ns where CPU time was unavailable. */
  measure: "cpu" | "wall";
  /** ns per call, per round. */
  rounds: number[];
  median: number;
  /** the median per-round ratio to unconfined, with its bootstrap 95 % interval. */
  ratio: number;
  ratioLo: number;
  ratioHi: number;
  /** the profile has argument conditions on this call: the kernel's action cache cannot skip the filter. */
  argRules: boolean | null;
  /** errno the call returned under this configuration (0: allowed). */
  errno: number;
}

export interface OverheadResult {
  command: string;
  unit: string;
  rounds: number;
  rows: OverheadRow[];
  /** where CPU time came from ("cgroup v2 cpu.stat usage_usec", "cgroup v1 cpuacct.usage"), or null. */
  cpuSource?: string | null;
  bootstrap?: { resamples: number; level: number; seed: number };
  micro?: MicroBenchRow[] | null;
}

/** Leave-one-run-out: a profile mined without run k, replayed on run k's workload. */
export interface HeldOutRow {
  heldOut: string; // run id
  profile: string; // file of the profile mined without it
  tests: number;
  failed: string[]; // tests that failed under it (false alarms)
  denials: string[]; // syscalls the complain run logged
}

export interface ProfileResult {
  label: string;
  file: string;
  /** how it was made: "file" or the synthesize options. */
  source: string;
  syscallsAllowed: number;
  enforce: EnforceResult | null;
  complain: ComplainResult | null;
  probes: ProbeResult[] | null;
  heldOut: HeldOutRow[] | null;
}

export interface ValidationReport {
  version: typeof VALIDATION_REPORT_VERSION;
  experiment: string; // name
  experimentFile: string;
  image: string;
  backend: "docker" | "runc";
  started: string;
  finished: string;
  host: HostInfo;
  profiles: ProfileResult[];
  overhead: OverheadResult | null;
  /** true when some test passes unconfined and fails under a profile (validate exits 1). */
  failed: boolean;
  notes: string[];
}
