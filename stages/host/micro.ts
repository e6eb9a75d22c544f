/**
 * The syscall micro-benchmark's numbers (datasets/record/progs/syscall-bench.c): its output
 * lines parsed, whether a profile puts argument conditions on a call (then the kernel's seccomp
 * action cache, Linux ≥ 5.11, cannot answer it and the BPF program runs on every call), and per
 * configuration and call the median CPU ns per call with a paired bootstrap interval of the
 * ratio to unconfined (round i of every configuration ran in the same overhead round).
 */
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import type { MicroBenchRow } from "../../schemas/validation-report.ts";
import { median, pairedRatioCi, type BootstrapOptions } from "./bootstrap.ts";

export interface BenchLine {
  call: string;
  /** wall ns per call (the bench's 10th percentile over chunks of 25 calls). */
  ns: number;
  /** thread CPU ns per call, null when the bench could not read its CPU clock. */
  cpuNs: number | null;
  errno: number;
}

/** The `bench NAME ns=X cpu_ns=Y errno=E` lines of one run; other lines are ignored. */
export function parseBench(output: string): BenchLine[] {
  const out: BenchLine[] = [];
  for (const m of output.matchAll(/^bench (\S+) ns=([\d.]+) cpu_ns=(-?[\d.]+) errno=(\d+)$/gm)) {
    const cpu = Number(m[3]);
    out.push({ call: m[1]!, ns: Number(m[2]), cpuNs: cpu >= 0 ? cpu : null, errno: Number(m[4]) });
  }
  return out;
}

/** The syscalls a benchmark line exercises ("mmap+munmap" is two). */
export const benchSyscalls = (call: string): string[] => call.split("+");

/**
 * True when some rule of the profile that names one of the call's syscalls has argument
 * conditions (the filter's answer depends on the arguments), false when only plain rules name
 * them, null for no profile (unconfined).
 */
export function hasArgRules(profile: DockerProfile | null, call: string): boolean | null {
  if (!profile) return null;
  const names = new Set(benchSyscalls(call));
  return profile.syscalls.some((r) => (r.args?.length ?? 0) > 0 && r.names.some((n) => names.has(n)));
}

/**
 * Rows per configuration and call. `rounds[config]` is one parsed run per overhead round, in round
 * order; configs[0] is the baseline (unconfined). The measure is CPU ns per call when every run
 * of both has it, else wall ns.
 */
export function microRows(
  configs: string[],
  rounds: Record<string, (BenchLine[] | null)[]>,
  profiles: Record<string, DockerProfile | null>,
  boot: BootstrapOptions = {},
): MicroBenchRow[] {
  const base = rounds[configs[0]!] ?? [];
  const calls = [...new Set(base.flatMap((r) => (r ?? []).map((l) => l.call)))];
  const value = (r: BenchLine[] | null, call: string, cpu: boolean): number => {
    const l = r?.find((x) => x.call === call);
    if (!l) return NaN;
    return cpu ? (l.cpuNs ?? NaN) : l.ns;
  };
  const rows: MicroBenchRow[] = [];
  for (const call of calls) {
    const cpu = configs.every((c) => (rounds[c] ?? []).every((r) => !r || r.every((l) => l.cpuNs !== null)));
    const b = base.map((r) => value(r, call, cpu));
    for (const c of configs) {
      const runs = rounds[c] ?? [];
      const xs = runs.map((r) => value(r, call, cpu));
      const ci = pairedRatioCi(xs, b, boot);
      const last = [...runs].reverse().find((r) => r?.some((l) => l.call === call));
      rows.push({
        config: c,
        call,
        measure: cpu ? "cpu" : "wall",
        rounds: xs,
        median: median(xs.filter(Number.isFinite)),
        ratio: ci.ratio,
        ratioLo: ci.lo,
        ratioHi: ci.hi,
        argRules: hasArgRules(profiles[c] ?? null, call),
        errno: last?.find((l) => l.call === call)?.errno ?? -1,
      });
    }
  }
  return rows;
}
