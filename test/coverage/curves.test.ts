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
});
