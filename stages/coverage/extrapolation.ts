/**
 * What one more run is expected to reveal, and how many more runs reach a share of the estimated
 * total: the incidence extrapolation of Chao, Gotelli, Hsieh, Sander, Ma, Colwell and Ellison
 * (2014, Ecological Monographs 84:45–67, eq. for S(T + t*)) and the sampling-effort formula of Chao,
 * Colwell, Lin and Gotelli (2009, Ecology 90:1125–1133), both on the bias-corrected Chao2 Q̂0.
 */
import { chao2 } from "./chao2.ts";
import { frequencyCounts, qk, type Incidence } from "./incidence.ts";

/** Bias-corrected Q̂0 = ((m−1)/m)·Q1(Q1−1)/(2(Q2+1)): the estimated number of units never seen. */
export function unseenQ0(inc: Incidence): number {
  return chao2(inc).unseen;
}

/**
 * Expected number of new units in the next t runs:
 * Q̂0·[1 − (1 − Q1/(m·Q̂0 + Q1))^t]. For t = 1 and Q̂0 = ((m−1)/m)Q1²/(2Q2) this is
 * (Q1/m)·(m−1)Q1/((m−1)Q1 + 2Q2), the estimated coverage deficit times the incidences per run.
 */
export function expectedNew(inc: Incidence, t = 1): number {
  const q = frequencyCounts(inc);
  const q1 = qk(q, 1);
  const q0 = unseenQ0(inc);
  if (q1 === 0 || q0 <= 0 || inc.m === 0) return 0;
  const x = 1 - q1 / (inc.m * q0 + q1);
  return q0 * (1 - x ** t);
}

/**
 * Probability that the next run reveals at least one unit never seen. The new units of one run
 * are a sum of many rare, nearly independent detections, so their count is close to Poisson with
 * mean `expectedNew(inc, 1)`: P(new) = 1 − exp(−E[new]).
 */
export function pNew(inc: Incidence): number {
  return 1 - Math.exp(-expectedNew(inc, 1));
}

/**
 * Further runs needed for the expected number of units to reach `share` (e.g. 0.95) of the
 * estimated total Ŝ = S_obs + Q̂0: t* = ln((1−g)Ŝ/Q̂0) / ln(1 − Q1/(mQ̂0 + Q1)), 0 when already
 * reached, rounded up.
 */
export function runsToReach(inc: Incidence, share: number): number {
  const q1 = qk(frequencyCounts(inc), 1);
  const q0 = unseenQ0(inc);
  const sObs = inc.counts.length;
  const total = sObs + q0;
  if (q0 <= 0 || q1 === 0 || sObs >= share * total) return 0;
  const x = 1 - q1 / (inc.m * q0 + q1);
  return Math.ceil(Math.log(((1 - share) * total) / q0) / Math.log(x));
}
