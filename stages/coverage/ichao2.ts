/**
 * iChao2, the improved Chao2 of Chiu, Wang, Walther and Chao (2014, Biometrics 70:671–682, eq. 9b):
 * adds a term from Q3 and Q4 that reduces Chao2's downward bias when rare units are many.
 */
import { chao2 } from "./chao2.ts";
import { frequencyCounts, qk, type Incidence } from "./incidence.ts";

/**
 * Ŝ_iChao2 = Ŝ_Chao2 + ((m−3)/(4m))·(Q3/Q4)·max(Q1 − ((m−3)/(2(m−1)))·Q2Q3/Q4, 0),
 * with Q4 replaced by Q4 + 1 when Q4 = 0 (as in SpadeR), and equal to Chao2 for m < 4.
 */
export function iChao2(inc: Incidence): number {
  const base = chao2(inc).estimate;
  const m = inc.m;
  if (m < 4) return base;
  const q = frequencyCounts(inc);
  const [q1, q2, q3] = [qk(q, 1), qk(q, 2), qk(q, 3)];
  const q4 = qk(q, 4) === 0 ? 1 : qk(q, 4);
  const term =
    ((m - 3) / (4 * m)) * (q3 / q4) * Math.max(q1 - ((m - 3) / (2 * (m - 1))) * ((q2 * q3) / q4), 0);
  return base + term;
}
