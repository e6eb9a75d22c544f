/**
 * Overhead numbers: a benchmark round's throughput read from its output (the first capture group
 * of a pattern, thousands separators allowed) or as ops per elapsed second; per configuration the
 * median, range, and the ratio to unconfined with the range of per-round ratios (round i of a
 * configuration against round i unconfined: rounds are interleaved, so they share the machine's
 * state).
 */
import type { OverheadRow } from "../../schemas/validation-report.ts";

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

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function overheadRows(configs: string[], rounds: Record<string, number[]>): OverheadRow[] {
  const base = rounds[configs[0]!]!;
  const baseMedian = median(base);
  return configs.map((c) => {
    const xs = rounds[c]!;
    const ratios = xs.map((x, i) => x / base[i]!);
    return {
      config: c,
      rounds: xs,
      median: median(xs),
      min: Math.min(...xs),
      max: Math.max(...xs),
      ratio: median(xs) / baseMedian,
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
    };
  });
}
