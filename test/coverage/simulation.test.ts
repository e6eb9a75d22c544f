/**
 * Seeded simulation: 200 studies of 10 runs each from known detection-probability distributions
 * with many rare units. Every unit has a known per-run detection probability, so the true total
 * is known; an 11th run drawn the same way shows what the next run really reveals.
 *
 * Checks: (1) Chao2's 95% interval holds the true total in ≥ 90% of studies; (2) the mean
 * predicted P(next run reveals a new unit) matches the observed share of studies whose 11th run
 * revealed one, within 0.1. Tolerance: the observed share is a binomial proportion over 200
 * studies, with standard error ≤ sqrt(0.25/200) = 0.035; 0.1 is about 3 standard errors (the
 * mean of 200 predictions has a much smaller error). With 2000 studies per distribution, the
 * systematic gap was ≤ 0.031 (README, Coverage).
 *
 * Known limits, shown here too and reported, not asserted on: (a) an almost saturated image whose
 * few remaining units have p in [0.01, 0.06] — Q2 is then mostly 0 and the interval is too short
 * (≈73% coverage) while P(new) is underestimated by ≈0.06; (b) when most units are so rare that they are seldom seen even once in
 * 10 runs (a log-normal with median detection probability 0.14 and a long tail towards 0), Chao2
 * is a lower bound and its interval misses the total in most studies; the test reports that case
 * without asserting on it.
 */
import { describe, expect, it } from "vitest";
import { chao2, incidenceOf, pNew, seededRandom } from "../../stages/coverage/index.ts";

type Dist = (random: () => number) => number[];

const DISTRIBUTIONS: Record<string, Dist> = {
  // a container-like image: a core every run makes, some frequent extras, 25% rare units
  "syscall-like (120 units, 25% with p in [0.04, 0.34])": (r) =>
    Array.from({ length: 120 }, (_, i) => (i < 70 ? 1 : i < 90 ? 0.6 + 0.4 * r() : 0.04 + 0.3 * r())),
  "60% rare (200 units, 120 with p in [0.03, 0.18])": (r) =>
    Array.from({ length: 200 }, (_, i) => (i < 120 ? 0.03 + 0.15 * r() : 0.5 + 0.5 * r())),
  "80% rare (100 units, 80 with p in [0.05, 0.15])": (r) =>
    Array.from({ length: 100 }, (_, i) => (i < 80 ? 0.05 + 0.1 * r() : 0.9)),
  "uniform p in [0.05, 0.9] (150 units)": (r) => Array.from({ length: 150 }, () => 0.05 + 0.85 * r()),
};

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Draws `runs` runs: unit i is seen in a run with probability p[i]. */
function draw(p: readonly number[], runs: number, r: () => number): string[][] {
  return Array.from({ length: runs }, () => p.flatMap((pi, i) => (r() < pi ? [String(i)] : [])));
}

interface Outcome {
  holds: number;
  predicted: number;
  observed: number;
}

function simulate(dist: Dist, seed: number, studies = 200, runs = 10): Outcome {
  const r = seededRandom(seed);
  let holds = 0;
  let predicted = 0;
  let observed = 0;
  for (let s = 0; s < studies; s++) {
    const p = dist(r);
    const all = draw(p, runs + 1, r);
    const inc = incidenceOf(all.slice(0, runs));
    const c = chao2(inc);
    if (c.lower <= p.length && p.length <= c.upper) holds++;
    predicted += pNew(inc);
    const seen = new Set(all.slice(0, runs).flat());
    if (all[runs]!.some((u) => !seen.has(u))) observed++;
  }
  return { holds: holds / studies, predicted: predicted / studies, observed: observed / studies };
}

describe("200 simulated studies at 10 runs", () => {
  let seed = 2026;
  for (const [name, dist] of Object.entries(DISTRIBUTIONS)) {
    const mySeed = seed++;
    it(name, () => {
      const o = simulate(dist, mySeed);
      console.log(
        `${name}: interval holds ${(100 * o.holds).toFixed(1)}%, P(new) predicted ${o.predicted.toFixed(3)}, observed ${o.observed.toFixed(3)}`,
      );
      expect(o.holds).toBeGreaterThanOrEqual(0.9);
      expect(Math.abs(o.predicted - o.observed)).toBeLessThanOrEqual(0.1);
    });
  }

  it("reports a known limit: a few units so rare (p in [0.01, 0.06]) that 10 runs rarely see them twice", () => {
    const o = simulate(
      (r) => Array.from({ length: 100 }, (_, i) => (i < 8 ? 0.01 + 0.05 * r() : 0.7 + 0.3 * r())),
      6,
    );
    console.log(
      `nearly saturated: interval holds ${(100 * o.holds).toFixed(1)}%, P(new) predicted ${o.predicted.toFixed(3)}, observed ${o.observed.toFixed(3)}`,
    );
    expect(Math.abs(o.predicted - o.observed)).toBeLessThanOrEqual(0.1);
  });

  it("reports the known limit (log-normal with a long tail of near-invisible units)", () => {
    const o = simulate(
      (r) => Array.from({ length: 200 }, () => Math.min(1, Math.exp(-2 + 1.2 * normal(r)))),
      7,
    );
    console.log(
      `log-normal: interval holds ${(100 * o.holds).toFixed(1)}%, P(new) predicted ${o.predicted.toFixed(3)}, observed ${o.observed.toFixed(3)}`,
    );
    expect(o.holds).toBeLessThan(0.9); // a lower bound: documented, not hidden
    expect(Math.abs(o.predicted - o.observed)).toBeLessThanOrEqual(0.1);
  });
});
