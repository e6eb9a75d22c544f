/**
 * Discovery against time within one run: how many distinct units had appeared by each moment.
 */
import type { TimePoint } from "../../schemas/coverage.ts";

/**
 * From the first-seen time of each unit (ns since the run's first event), the step curve with one
 * point per distinct time, sorted.
 */
export function timeCurve(firstSeenNs: readonly number[]): TimePoint[] {
  // a typed array's numeric sort: the order of a comparator sort (a − b) without a call per comparison
  const sorted = Float64Array.from(firstSeenNs).sort();
  const out: TimePoint[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const seconds = sorted[i]! / 1e9;
    const last = out[out.length - 1];
    if (last && last.seconds === seconds) last.distinct = i + 1;
    else out.push({ seconds, distinct: i + 1 });
  }
  return out;
}

/** Share of the run's duration after which its last new unit appeared (0..1); 0 for an empty run. */
export function lastDiscoveryShare(firstSeenNs: readonly number[], durationNs: number): number {
  if (firstSeenNs.length === 0 || durationNs <= 0) return 0;
  return Math.max(...firstSeenNs) / durationNs;
}
