/**
 * First- and second-order jackknife richness estimators on incidence data (Burnham and Overton
 * 1978, 1979; Heltshe and Forrester 1983; formulas as in the EstimateS 9 User's Guide, Appendix B).
 */
import { frequencyCounts, qk, type Incidence } from "./incidence.ts";

/** Jack1 = S_obs + Q1·(m−1)/m. */
export function jackknife1(inc: Incidence): number {
  const m = inc.m;
  if (m === 0) return 0;
  return inc.counts.length + (qk(frequencyCounts(inc), 1) * (m - 1)) / m;
}

/** Jack2 = S_obs + Q1·(2m−3)/m − Q2·(m−2)²/(m(m−1)); equal to Jack1 for m < 2. */
export function jackknife2(inc: Incidence): number {
  const m = inc.m;
  if (m < 2) return jackknife1(inc);
  const q = frequencyCounts(inc);
  return inc.counts.length + (qk(q, 1) * (2 * m - 3)) / m - (qk(q, 2) * (m - 2) ** 2) / (m * (m - 1));
}
