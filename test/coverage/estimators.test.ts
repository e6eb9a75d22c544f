/**
 * The incidence estimators against a worked example.
 *
 * Input: the capture frequencies of the cottontail-rabbit study of Edwards and Eberhardt (1967),
 * the worked example of Chao (1987, Biometrics 43:783–791) and of Otis, Burnham, White and
 * Anderson (1978): m = 18 occasions, Q1..Q7 = 43, 16, 8, 6, 0, 2, 1, S_obs = 76.
 * Expected values are worked by hand from the published formulas (Chao 1987 for Chao2 and its
 * log-normal interval; EstimateS 9 User's Guide, Appendix B for the bias-corrected form and the
 * jackknives; Chiu et al. 2014 eq. 9b for iChao2; Chao et al. 2014 and Chao et al. 2009 for the
 * extrapolation), each step in the comments, and agree with the SpadeR reference code
 * (AnneChao/SpadeR R/SpecInciChao2.R) for the same inputs. The next-run figures at Q2 = 0 and
 * small Q1 follow Chao and Jost (2012): E[new] = (Q1/m)·max((m−1)Q1/((m−1)Q1 + 2Q2), (m−1)/m)
 * (stages/coverage/extrapolation.ts explains the choice).
 */
import { describe, expect, it } from "vitest";
import {
  chao2,
  expectedNew,
  frequencyCounts,
  iChao2,
  incidenceOf,
  jackknife1,
  jackknife2,
  pNew,
  runsToReach,
  sampleCoverage,
  summarize,
  verdictOf,
  seededRandom,
  type Incidence,
} from "../../stages/coverage/index.ts";

/** An incidence with the given Q_k (index k−1) over m runs. */
function fromQ(m: number, q: number[]): Incidence {
  const counts: number[] = [];
  q.forEach((n, i) => counts.push(...new Array<number>(n).fill(i + 1)));
  return { m, counts };
}

const rabbits = fromQ(18, [43, 16, 8, 6, 0, 2, 1]);

describe("incidence counts", () => {
  it("counts each unit once per run and tabulates Q_k", () => {
    const inc = incidenceOf([["a", "b", "a"], ["a"], ["a", "c"]]);
    expect(inc.m).toBe(3);
    expect([...inc.counts].sort()).toEqual([1, 1, 3]);
    expect(frequencyCounts(inc)).toEqual([0, 2, 0, 1]);
  });
});

describe("Chao2 on the rabbit example (m = 18, Q1 = 43, Q2 = 16, S_obs = 76)", () => {
  it("classic form (Q2 > 0): 76 + (17/18)·43²/(2·16) = 130.571", () => {
    const c = chao2(rabbits);
    expect(c.observed).toBe(76);
    expect(c.estimate).toBeCloseTo(130.5712, 3);
    // var = Q2[(A/2)r² + A²r³ + (A²/4)r⁴], r = Q1/Q2 = 2.6875, A = 17/18
    expect(c.variance).toBeCloseTo(517.7216, 3);
    // T = 54.571, K = exp(1.96·sqrt(ln(1 + 517.72/54.571²))) = 1.9017
    expect(c.lower).toBeCloseTo(100.8987, 3);
    expect(c.upper).toBeCloseTo(195.605, 2);
  });

  it("bias-corrected form: 76 + (17/18)·43·42/(2·17) = 126.167", () => {
    const c = chao2(rabbits, "bias-corrected");
    expect(c.estimate).toBeCloseTo(126.1667, 3);
    expect(c.variance).toBeCloseTo(429.2176, 3);
    expect(c.lower).toBeCloseTo(99.0481, 3);
    expect(c.upper).toBeCloseTo(185.1932, 3);
  });

  it("iChao2 adds (15/72)·(8/6)·max(43 − (15/34)·16·8/6, 0) = 9.330", () => {
    expect(iChao2(rabbits)).toBeCloseTo(139.9012, 3);
  });

  it("jackknives: Jack1 = 76 + 43·17/18, Jack2 = 76 + 43·33/18 − 16·16²/(18·17)", () => {
    expect(jackknife1(rabbits)).toBeCloseTo(116.6111, 3);
    expect(jackknife2(rabbits)).toBeCloseTo(141.4477, 3);
  });

  it("next run: E[new] = Q̂0·Q1/(mQ̂0 + Q1) = (Q1/m)·(m−1)Q1/((m−1)Q1 + 2Q2) = 2.2887", () => {
    expect(expectedNew(rabbits)).toBeCloseTo(2.2887, 4);
    const q1 = 43;
    const q2 = 16;
    const m = 18;
    expect(expectedNew(rabbits)).toBeCloseTo(((q1 / m) * (m - 1) * q1) / ((m - 1) * q1 + 2 * q2), 10);
    expect(pNew(rabbits)).toBeCloseTo(1 - Math.exp(-2.2887), 4);
  });

  it("runs to 95% / 99% of Ŝ: ln((1−g)Ŝ/Q̂0)/ln(1 − Q1/(mQ̂0 + Q1)) = 49.56 / 87.12 → 50 / 88", () => {
    expect(runsToReach(rabbits, 0.95)).toBe(50);
    expect(runsToReach(rabbits, 0.99)).toBe(88);
  });
});

describe("edge cases", () => {
  it("Q2 = 0 uses the bias-corrected form with SpadeR's variance", () => {
    const inc = fromQ(5, [4, 0, 3]); // S_obs = 7, Q1 = 4, Q2 = 0
    const c = chao2(inc);
    // 7 + (4/5)·4·3/2 = 11.8; var = A·6 + A²·4·49/4 − A²·256/4/11.8
    expect(c.estimate).toBeCloseTo(11.8, 10);
    const a = 0.8;
    expect(c.variance).toBeCloseTo(a * 6 + a * a * 49 - (a * a * 64) / 11.8, 10);
    expect(c.lower).toBeGreaterThan(7);
    expect(c.upper).toBeGreaterThan(11.8);
  });

  it("no unique units: nothing unseen, interval [S_obs, S_obs/(1−P) + z·sd/(1−P)]", () => {
    const inc = fromQ(5, [0, 0, 0, 0, 10]);
    const c = chao2(inc);
    expect(c.estimate).toBe(10);
    expect(c.lower).toBe(10);
    const p = Math.exp(-5);
    const v = Math.max(10 * (Math.exp(-5) - Math.exp(-10)) - (5 * Math.exp(-5) * 10) ** 2 / 5, 0);
    expect(c.upper).toBeCloseTo(10 / (1 - p) + (1.959963984540054 * Math.sqrt(v)) / (1 - p), 10);
    expect(expectedNew(inc)).toBe(0);
    expect(pNew(inc)).toBe(0);
    expect(runsToReach(inc, 0.99)).toBe(0);
  });

  it("empty data and a single run do not throw", () => {
    expect(chao2({ m: 0, counts: [] }).estimate).toBe(0);
    const one = incidenceOf([["a", "b"]]);
    expect(chao2(one).estimate).toBe(2); // (m−1)/m = 0
    expect(jackknife2(one)).toBe(2);
    expect(iChao2(one)).toBe(2);
  });
});

/** `core` units seen in every one of m runs, plus the given Q_k. */
function withCore(m: number, core: number, q: number[]): Incidence {
  const inc = fromQ(m, q);
  return { m, counts: [...inc.counts, ...new Array<number>(core).fill(m)] };
}

/** The same incidence as run lists: unit i of Q_k is seen in runs 0..k−1. */
function runsOf(inc: Incidence): string[][] {
  const runs = Array.from({ length: inc.m }, () => [] as string[]);
  inc.counts.forEach((k, i) => {
    for (let r = 0; r < k; r++) runs[r]!.push(`u${i}`);
  });
  return runs;
}

describe("next run with few singletons (Q2 = 0; the Chao2 Q̂0 is 0 at Q1 = 1)", () => {
  it("m = 6, Q1 = 1, Q2 = 0: E[new] = Q1/m = 1/6, P(new) = 1 − e^(−1/6) = 15.4%, not saturated", () => {
    const inc = withCore(6, 40, [1]);
    expect(chao2(inc).unseen).toBe(0); // (5/6)·1·0/2: what P(new) used to be built on
    expect(expectedNew(inc)).toBeCloseTo(1 / 6, 12);
    expect(pNew(inc)).toBeCloseTo(1 - Math.exp(-1 / 6), 12);
    expect(pNew(inc)).toBeCloseTo(0.1535, 4);
    // Chao and Jost's coverage at Q2 = 0 is Turing's 1 − Q1/U, U = 40·6 + 1
    expect(sampleCoverage(inc)).toBeCloseTo(1 - 1 / 241, 12);
    // a singleton: at least one more run, whatever the Chao2 total (here S_obs itself)
    expect(runsToReach(inc, 0.95)).toBe(1);
    expect(runsToReach(inc, 0.99)).toBe(1);
    // more runs: Q̂0* = the jackknife's (5/6)·1, r = (1/6)/(5/6) = 1/5
    expect(expectedNew(inc, 3)).toBeCloseTo((5 / 6) * (1 - 0.8 ** 3), 12);
    const s = summarize(runsOf(inc), new Map());
    expect(s).toMatchObject({ runs: 6, q1: 1, q2: 0, verdict: "not saturated" });
    expect(s.p_new).toBeCloseTo(0.1535, 4);
    expect(s.reason).toBe("P(next run reveals a new unit) = 15.4% ≥ 5.0%");
    expect(s.runs_to_95).toBe(1);
  });

  it("m = 6, Q1 = 2, Q2 = 0: E[new] = 2/6, P(new) = 1 − e^(−1/3) = 28.3%", () => {
    const inc = withCore(6, 40, [2]);
    expect(chao2(inc).unseen).toBeCloseTo(5 / 6, 12); // (5/6)·2·1/2
    expect(expectedNew(inc)).toBeCloseTo(1 / 3, 12);
    expect(pNew(inc)).toBeCloseTo(1 - Math.exp(-1 / 3), 12);
    expect(pNew(inc)).toBeCloseTo(0.2835, 4);
    // Q̂0* = max(5/6, (5/6)·2, 1/3) = 5/3, r = (1/3)/(5/3) = 1/5
    expect(expectedNew(inc, 2)).toBeCloseTo((5 / 3) * (1 - 0.8 ** 2), 12);
    // S_obs = 42 ≥ 0.95·(42 + 5/6): reached by Chao2's count, but Q1 > 0: 1
    expect(runsToReach(inc, 0.95)).toBe(1);
    expect(summarize(runsOf(inc), new Map()).verdict).toBe("not saturated");
  });

  it("m = 10, Q1 = 0: P(new) = 0, no further runs, and saturated is allowed", () => {
    const inc = withCore(10, 30, [0, 3, 2]);
    expect(expectedNew(inc)).toBe(0);
    expect(pNew(inc)).toBe(0);
    expect(runsToReach(inc, 0.99)).toBe(0);
    expect(sampleCoverage(inc)).toBe(1);
    const s = summarize(runsOf(inc), new Map());
    expect(s).toMatchObject({ runs: 10, q1: 0, p_new: 0, verdict: "saturated" });
  });

  it("few singletons beside many doubletons: the bracket is floored at (m−1)/m", () => {
    // m = 10, Q1 = 1, Q2 = 3: Chao and Jost's bracket 9/(9 + 6) = 0.6 < 0.9
    const inc = withCore(10, 30, [1, 3]);
    expect(expectedNew(inc)).toBeCloseTo(0.1 * 0.9, 12);
    // Q1 ≥ 2Q2: the bracket itself, equal to the extrapolation on the classic Chao2 Q̂0
    const more = withCore(10, 30, [5, 1]);
    const q0 = (0.9 * 25) / 2;
    expect(expectedNew(more)).toBeCloseTo((q0 * 5) / (10 * q0 + 5), 12);
    expect(expectedNew(more)).toBeCloseTo(0.5 * (45 / 47), 12);
  });

  it("never P(new) = 0 with Q1 > 0, never saturated with P(new) ≥ the threshold", () => {
    const r = seededRandom(11);
    for (let i = 0; i < 2000; i++) {
      const m = 2 + Math.floor(r() * 30);
      const q = Array.from({ length: Math.min(m, 4) }, () => Math.floor(r() * 4));
      const inc = withCore(m, Math.floor(r() * 50), q);
      const p = pNew(inc);
      if (q[0]! > 0) {
        expect(p).toBeGreaterThanOrEqual(1 - Math.exp(-((m - 1) / m) * (q[0]! / m)) - 1e-12);
        expect(runsToReach(inc, 0.95)).toBeGreaterThanOrEqual(1);
      } else expect(p).toBe(0);
      const v = verdictOf(m, p);
      if (p >= 0.05) expect(v.verdict).toBe("not saturated");
    }
    expect(verdictOf(10, Number.NaN).verdict).toBe("not saturated");
  });
});
