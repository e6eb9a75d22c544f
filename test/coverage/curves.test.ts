/** Discovery curves, time curves, the paper's 10-fold figure, verdicts and leave-one-run-out. */
import { describe, expect, it } from "vitest";
import {
  discoveryCurve,
  leaveOneOut,
  paperKFold,
  timeCurve,
  verdictOf,
} from "../../stages/coverage/index.ts";

const RUNS = [
  ["a", "b"],
  ["a", "c"],
  ["a", "b", "d"],
];

describe("discovery curve", () => {
  it("mean over random orders approaches the exact expectation; ends at S_obs", () => {
    const c = discoveryCurve(RUNS, 2000, 3);
    expect(c.map((p) => p.runs)).toEqual([1, 2, 3]);
    // E[S_1] = (2 + 2 + 3)/3; E[S_3] = 4
    expect(c[0]!.expected).toBeCloseTo(7 / 3, 10);
    expect(c[2]!.expected).toBeCloseTo(4, 10);
    expect(c[0]!.mean).toBeCloseTo(7 / 3, 1);
    expect(c[2]).toMatchObject({ mean: 4, sd: 0, min: 4, max: 4 });
    // E[S_2] = Σ_u 1 − C(3−Y_u, 2)/C(3, 2): a:1, b:1, c:1−1/3, d:1−1/3
    expect(c[1]!.expected).toBeCloseTo(1 + 1 + 2 / 3 + 2 / 3, 10);
  });
  it("is deterministic for a seed", () => {
    expect(discoveryCurve(RUNS, 10, 9)).toEqual(discoveryCurve(RUNS, 10, 9));
  });
});

describe("time curve", () => {
  it("one step per distinct first-seen time", () => {
    expect(timeCurve([2e9, 0, 2e9, 5e8])).toEqual([
      { seconds: 0, distinct: 1 },
      { seconds: 0.5, distinct: 2 },
      { seconds: 2, distinct: 4 },
    ]);
  });
});

describe("the paper's 10-fold figure", () => {
  it("common units are always in the training part; a unit with one event is missing from one fold", () => {
    const k = paperKFold([1000, 500, 1], 10, 1);
    expect(k.folds.filter((f) => f < 1)).toEqual([2 / 3]);
    expect(k.max).toBe(1);
    expect(k.min).toBeCloseTo(2 / 3, 10);
    expect(k.mean).toBeCloseTo(1 - 1 / 30, 10);
    expect(k.median).toBe(1);
  });
});

describe("verdict", () => {
  it("needs enough runs and a small P(new), with the reason", () => {
    expect(verdictOf(3, 0.01)).toEqual({
      verdict: "not saturated",
      reason: "only 3 run(s); at least 5 required",
    });
    expect(verdictOf(6, 0.2).verdict).toBe("not saturated");
    expect(verdictOf(6, 0.2).reason).toContain("20.0% ≥ 5.0%");
    expect(verdictOf(6, 0.01)).toEqual({
      verdict: "saturated",
      reason: "6 runs ≥ 5 and P(next run reveals a new unit) = 1.0% < 5.0%",
    });
    expect(verdictOf(2, 0.3, { maxPNew: 0.5, minRuns: 2 }).verdict).toBe("saturated");
    expect(verdictOf(6, 0.05).verdict).toBe("not saturated"); // at the threshold: not below it
    expect(verdictOf(6, Number.NaN).verdict).toBe("not saturated");
  });
});

describe("leave-one-run-out", () => {
  it("counts what each left-out run adds to the others", () => {
    const l = leaveOneOut(["r1", "r2", "r3"], RUNS);
    expect(l.rows.map((r) => [r.run, r.observed, r.added])).toEqual([
      ["r1", 4, 0],
      ["r2", 3, 1],
      ["r3", 3, 1],
    ]);
    expect(l.mean_added).toBeCloseTo(2 / 3, 10);
    expect(l.share_adding).toBeCloseTo(2 / 3, 10);
  });

  it("puts the prediction from the other runs beside what the left-out run added", () => {
    const l = leaveOneOut(["r1", "r2", "r3"], RUNS);
    // without r1: {a, c}, {a, b, d}: Q1 = 3 (b, c, d), Q2 = 1 (a), m = 2;
    // E[new] = (3/2)·max(1·3/(3 + 2), 1/2) = 0.9
    // without r2: {a, b}, {a, b, d}: Q1 = 1, Q2 = 2: (1/2)·max(1/(1 + 4), 1/2) = 0.25 (the floor)
    // without r3: {a, b}, {a, c}: Q1 = 2, Q2 = 1: 1·max(2/(2 + 2), 1/2) = 0.5
    expect(l.rows.map((r) => [r.q1, r.q2])).toEqual([
      [3, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(l.rows.map((r) => r.expected_new)).toEqual([0.9, 0.25, 0.5].map((x) => expect.closeTo(x, 12)));
    expect(l.rows[0]!.p_new).toBeCloseTo(1 - Math.exp(-0.9), 12);
    expect(l.mean_expected_new).toBeCloseTo((0.9 + 0.25 + 0.5) / 3, 12);
    expect(l.mean_p_new).toBeCloseTo((3 - Math.exp(-0.9) - Math.exp(-0.25) - Math.exp(-0.5)) / 3, 12);
  });

  it("a run holding the only singleton: the others predict it (Q1 > 0 ⇒ P(new) > 0)", () => {
    // six runs of {a, b}, the last one also c; left out, each of the first five sees c as the
    // others' only singleton: E[new] = 1/5, P(new) = 1 − e^(−0.2) = 18.1% and adds nothing
    const runs = [...Array.from({ length: 5 }, () => ["a", "b"]), ["a", "b", "c"]];
    const l = leaveOneOut(["1", "2", "3", "4", "5", "6"], runs);
    for (const r of l.rows.slice(0, 5)) {
      expect(r).toMatchObject({ q1: 1, q2: 0, added: 0 });
      expect(r.p_new).toBeCloseTo(1 - Math.exp(-0.2), 12);
    }
    expect(l.rows[5]).toMatchObject({ q1: 0, p_new: 0, added: 1 });
    expect(l.share_adding).toBeCloseTo(1 / 6, 12);
    expect(l.mean_p_new).toBeCloseTo((5 / 6) * (1 - Math.exp(-0.2)), 12);
  });
});
