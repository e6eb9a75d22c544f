/**
 * Discovery against time within one run: how many distinct units had appeared by each moment.
 */
import type { TimePoint } from "../../schemas/coverage.ts";

/**
 * From the first-seen time of each unit (ns since the run's first event), the step curve with one
 * point per distinct time, sorted.
 */
export function timeCurve(firstSeenNs: readonly number[]): TimePoint[] {
  const sorted = [...firstSeenNs].sort((a, b) => a - b);
  const out: TimePoint[] = [];
  sorted.forEach((t, i) => {
    const seconds = t / 1e9;
    const last = out[out.length - 1];
    if (last && last.seconds === seconds) last.distinct = i + 1;
    else out.push({ seconds, distinct: i + 1 });
  });
  return out;
}

/** Share of the run's duration after which its last new unit appeared (0..1); 0 for an empty run. */
export function lastDiscoveryShare(firstSeenNs: readonly number[], durationNs: number): number {
  if (firstSeenNs.length === 0 || durationNs <= 0) return 0;
  return Math.max(...firstSeenNs) / durationNs;
}
