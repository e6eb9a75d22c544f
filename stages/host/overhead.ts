/**
 * Overhead numbers: a benchmark round's throughput read from its output (the first capture group
 * of a pattern, thousands separators allowed) or as ops per elapsed second; per configuration the
 * median, range, and the ratio to unconfined with the range of per-round ratios, and the median
 * per-round ratio with a bootstrap 95 % interval (round i of a configuration against round i
 * unconfined: rounds are interleaved, so they share the machine's state); beside it the CPU time the container's cgroup
 * spent per operation, which other jobs on a shared machine disturb far less than throughput.
 */
import type { OverheadRow } from "../../schemas/validation-report.ts";
import { median, pairedRatioCi, type BootstrapOptions } from "./bootstrap.ts";

export { median } from "./bootstrap.ts";

export function throughputOf(
  spec: { regex?: string; ops?: number },
  stdout: string,
  seconds: number,
): number | null {
  if (spec.ops !== undefined) return seconds > 0 ? spec.ops / seconds : null;
  const m = new RegExp(spec.regex!, "m").exec(stdout);
  if (!m || m[1] === undefined) return null;
  const v = Number(m[1].replace(/,/g, ""));
  return Number.isFinite(v) ? v : null;
}

/**
 * CPU seconds per operation of one round: the cgroup's CPU time over the operations the round
 * made (`ops` when the spec says, else throughput × the command's elapsed seconds, which counts
 * the client's start-up as serving time: the same bias in every configuration, so it cancels in
 * the ratio). Null when CPU time was not measured or nothing was served.
 */
export function cpuPerOp(
  cpuSeconds: number | null,
  spec: { ops?: number },
  throughput: number,
  seconds: number,
): number | null {
  if (cpuSeconds === null || !(cpuSeconds >= 0)) return null;
  const ops = spec.ops ?? throughput * seconds;
  return ops > 0 ? cpuSeconds / ops : null;
}

export function overheadRows(
  configs: string[],
  rounds: Record<string, number[]>,
  cpu?: Record<string, (number | null)[]>,
  boot: BootstrapOptions = {},
): OverheadRow[] {
  const base = rounds[configs[0]!]!;
  const baseMedian = median(base);
  const cpuBase = cpu?.[configs[0]!]?.map((v) => v ?? NaN);
  return configs.map((c) => {
    const xs = rounds[c]!;
    const ratios = xs.map((x, i) => x / base[i]!);
    const ci = pairedRatioCi(xs, base, boot);
    const row: OverheadRow = {
      config: c,
      rounds: xs,
      median: median(xs),
      min: Math.min(...xs),
      max: Math.max(...xs),
      ratio: median(xs) / baseMedian,
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      ratioPaired: ci.ratio,
      ratioLo: ci.lo,
      ratioHi: ci.hi,
    };
    const mine = cpu?.[c];
    if (mine && cpuBase) {
      row.cpuPerOp = mine;
      const vals = mine.map((v) => v ?? NaN);
      const usable = vals.some(Number.isFinite) && cpuBase.some(Number.isFinite);
      const cci = usable ? pairedRatioCi(vals, cpuBase, boot) : null;
      row.cpuRatio = cci && Number.isFinite(cci.ratio) ? cci.ratio : null;
      row.cpuRatioLo = cci && Number.isFinite(cci.lo) ? cci.lo : null;
      row.cpuRatioHi = cci && Number.isFinite(cci.hi) ? cci.hi : null;
    }
    return row;
  });
}
