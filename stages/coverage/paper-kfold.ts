/**
 * The paper's own coverage figure (Wan et al. 2019, Sec. 6.4), reproduced as it defines it: split
 * the image's whole trace at random into 10 folds of events (scikit-learn KFold with shuffling);
 * for each fold, mine the units of the other 9 folds (the training part) and report the share of
 * the complete trace's units they contain; summarize the 10 shares by min, max, median and mean.
 */
import { seededRandom } from "./rng.ts";
import type { KFoldCoverage } from "../../schemas/coverage.ts";

/**
 * Beyond this many events a unit is in every training part with probability ≥ 1 − 10·0.1^64; its
 * events are not drawn one by one.
 */
const ALWAYS_PRESENT = 64;

/**
 * `eventCounts[u]` is the number of events of unit u in the whole trace. Each event falls in one of
 * `k` folds uniformly (for a trace of many events this is KFold's equal-size split); a unit is
 * missing from training part f when all its events fall in fold f.
 */
export function paperKFold(eventCounts: readonly number[], k = 10, seed = 1): KFoldCoverage {
  const random = seededRandom(seed);
  const present = new Array<number>(k).fill(0);
  for (const n of eventCounts) {
    if (n >= ALWAYS_PRESENT || n <= 0) {
      if (n > 0) for (let f = 0; f < k; f++) present[f]!++;
      continue;
    }
    const first = Math.floor(random() * k);
    let single = true;
    for (let i = 1; i < n; i++) if (Math.floor(random() * k) !== first) single = false;
    for (let f = 0; f < k; f++) if (!single || f !== first) present[f]!++;
  }
  const total = eventCounts.filter((n) => n > 0).length;
  const folds = present.map((p) => (total === 0 ? 1 : p / total));
  const sorted = [...folds].sort((a, b) => a - b);
  const median = k % 2 ? sorted[(k - 1) / 2]! : (sorted[k / 2 - 1]! + sorted[k / 2]!) / 2;
  return {
    folds,
    min: sorted[0]!,
    max: sorted[k - 1]!,
    median,
    mean: folds.reduce((a, b) => a + b, 0) / k,
  };
}
