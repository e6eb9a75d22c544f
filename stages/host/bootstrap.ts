/**
 * Bootstrap confidence intervals for overhead ratios. The rounds of a benchmark are interleaved
 * (round i of every configuration ran back to back, so they share the machine's state at that
 * time): a resample draws round indices with replacement and applies the same indices to both
 * configurations (a paired bootstrap), so the load the rounds shared cancels in the ratio.
 * Percentile intervals; the generator is seeded, so the same rounds give the same interval.
 */
import { seededRandom } from "../coverage/rng.ts";

/** mulberry32 (stages/coverage/rng.ts): seeded, uniform in [0, 1). */
export const mulberry32 = seededRandom;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** The q-quantile (0 ≤ q ≤ 1) of sorted values, linear between order statistics (type 7). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface RatioCi {
  /** the median of the per-round ratios x[i] / base[i]. */
  ratio: number;
  lo: number;
  hi: number;
  /** confidence level, e.g. 0.95. */
  level: number;
  resamples: number;
}

export interface BootstrapOptions {
  resamples?: number; // default 2000
  level?: number; // default 0.95
  seed?: number; // default 1
}

/**
 * The median of the per-round ratios x[i] / base[i] (x[i] and base[i] come from round i, so the
 * machine's load in that round divides out) and its percentile bootstrap interval (rounds drawn
 * with replacement). Rounds where either value is missing (not finite, or a zero base) are left
 * out first. Fewer than 2 usable rounds: the interval is the ratio itself.
 */
export function pairedRatioCi(
  x: readonly number[],
  base: readonly number[],
  o: BootstrapOptions = {},
): RatioCi {
  if (x.length !== base.length)
    throw new Error(`paired rounds differ in length: ${x.length} and ${base.length}`);
  const resamples = o.resamples ?? 2000;
  const level = o.level ?? 0.95;
  const ratios: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const r = x[i]! / base[i]!;
    if (Number.isFinite(r)) ratios.push(r);
  }
  const n = ratios.length;
  const ratio = median(ratios);
  if (n < 2) return { ratio, lo: ratio, hi: ratio, level, resamples: 0 };
  const rnd = mulberry32(o.seed ?? 1);
  const stats: number[] = new Array<number>(resamples);
  const sample = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) sample[i] = ratios[Math.floor(rnd() * n)]!;
    stats[b] = median(sample);
  }
  const finite = stats.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return {
    ratio,
    lo: quantileSorted(finite, alpha),
    hi: quantileSorted(finite, 1 - alpha),
    level,
    resamples,
  };
}

/**
 * How two configurations compare given their intervals against the same baseline: "<" or ">"
 * when the intervals do not overlap, "~" when they do (the rounds cannot rank them).
 */
export function rankIntervals(a: { lo: number; hi: number }, b: { lo: number; hi: number }): "<" | ">" | "~" {
  if (a.hi < b.lo) return "<";
  if (a.lo > b.hi) return ">";
  return "~";
}
