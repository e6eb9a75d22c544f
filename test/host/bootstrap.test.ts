/**
 * The overhead statistics: the paired bootstrap interval of a ratio of medians (seeded, so the
 * same rounds give the same interval), the CPU time per operation, the micro-benchmark's output
 * and rows, and whether a profile's rules defeat the seccomp action cache for a call.
 */
import { describe, expect, it } from "vitest";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { mulberry32, pairedRatioCi, quantileSorted, rankIntervals } from "../../stages/host/bootstrap.ts";
import { hasArgRules, microRows, parseBench } from "../../stages/host/micro.ts";
import { cpuPerOp, overheadRows } from "../../stages/host/overhead.ts";

describe("pairedRatioCi", () => {
  it("is reproducible for a seed and differs for another", () => {
    const rnd = mulberry32(11);
    const base = Array.from({ length: 30 }, () => 100 + 10 * rnd());
    const x = base.map((b) => b * (0.9 + 0.1 * rnd()));
    const a = pairedRatioCi(x, base, { seed: 7 });
    expect(pairedRatioCi(x, base, { seed: 7 })).toEqual(a);
    // few resamples: the endpoints interpolate between the drawn medians, so the seed shows
    const c = pairedRatioCi(x, base, { seed: 7, resamples: 25 });
    const d = pairedRatioCi(x, base, { seed: 8, resamples: 25 });
    expect([d.lo, d.hi]).not.toEqual([c.lo, c.hi]);
  });

  it("brackets the ratio of medians and narrows with more rounds", () => {
    const rnd = mulberry32(3);
    const make = (n: number) => {
      const base: number[] = [];
      const x: number[] = [];
      for (let i = 0; i < n; i++) {
        const load = 0.5 + rnd(); // shared machine state of round i: both configs see it
        base.push(1000 * load * (1 + 0.02 * (rnd() - 0.5)));
        x.push(900 * load * (1 + 0.02 * (rnd() - 0.5)));
      }
      return pairedRatioCi(x, base, { resamples: 1000 });
    };
    const small = make(6);
    const big = make(60);
    for (const ci of [small, big]) {
      expect(ci.lo).toBeLessThanOrEqual(ci.ratio);
      expect(ci.hi).toBeGreaterThanOrEqual(ci.ratio);
    }
    // the paired design cancels the round-to-round load: 0.9 is inside, 1.0 is not
    expect(big.lo).toBeLessThan(0.9);
    expect(big.hi).toBeGreaterThan(0.9);
    expect(big.hi).toBeLessThan(1);
    expect(big.hi - big.lo).toBeLessThan(small.hi - small.lo);
  });

  it("leaves out rounds with a missing value and needs two to resample", () => {
    const ci = pairedRatioCi([2, NaN, 4, 3], [1, 1, 2, 0]);
    expect(ci.ratio).toBe(2);
    const one = pairedRatioCi([2, NaN], [1, 1]);
    expect(one).toMatchObject({ ratio: 2, lo: 2, hi: 2, resamples: 0 });
    expect(() => pairedRatioCi([1, 2], [1])).toThrow(/differ in length/);
  });

  it("quantiles interpolate and ranks need disjoint intervals", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(rankIntervals({ lo: 0.9, hi: 0.95 }, { lo: 0.96, hi: 1 })).toBe("<");
    expect(rankIntervals({ lo: 0.97, hi: 1.1 }, { lo: 0.9, hi: 0.96 })).toBe(">");
    expect(rankIntervals({ lo: 0.9, hi: 1 }, { lo: 0.95, hi: 1.05 })).toBe("~");
  });
});

describe("overhead rows with CPU time", () => {
  it("gives CPU per operation from ops or throughput × seconds", () => {
    expect(cpuPerOp(2, { ops: 1000 }, 500, 2)).toBe(0.002);
    expect(cpuPerOp(2, {}, 500, 4)).toBe(0.001);
    expect(cpuPerOp(null, {}, 500, 4)).toBeNull();
    expect(cpuPerOp(1, {}, 0, 4)).toBeNull();
  });

  it("puts a bootstrap interval on the throughput and the CPU ratio", () => {
    const rows = overheadRows(
      ["unconfined", "safe"],
      { unconfined: [100, 200, 100, 150, 120], safe: [95, 190, 96, 140, 118] },
      { unconfined: [1e-4, 1e-4, 1.1e-4, 1e-4, 0.9e-4], safe: [1.1e-4, 1.1e-4, 1.2e-4, 1.1e-4, 1e-4] },
      { seed: 1, resamples: 500 },
    );
    const safe = rows[1]!;
    expect(safe.ratio).toBeCloseTo(118 / 120, 10); // ratio of medians, as before
    expect(safe.ratioPaired).toBeCloseTo(0.95, 10); // per-round: .95 .95 .96 .933 .983
    expect(safe.ratioLo!).toBeLessThanOrEqual(safe.ratioPaired!);
    expect(safe.ratioHi!).toBeGreaterThanOrEqual(safe.ratioPaired!);
    expect(safe.ratioHi!).toBeLessThan(1);
    expect(safe.cpuRatio!).toBeCloseTo(1.1, 10); // per-round: 1.1 1.1 1.09 1.1 1.11
    expect(safe.cpuRatioLo!).toBeGreaterThan(1);
    expect(rows[0]!.cpuRatio).toBe(1);
  });
});

describe("micro-benchmark", () => {
  const out = (g: number, f: number) =>
    `noise\nbench getppid ns=900.0 cpu_ns=${g} errno=0\nbench fcntl ns=950.5 cpu_ns=${f} errno=0\n`;

  it("parses its lines and ignores the rest", () => {
    expect(parseBench(out(150, 160))).toEqual([
      { call: "getppid", ns: 900, cpuNs: 150, errno: 0 },
      { call: "fcntl", ns: 950.5, cpuNs: 160, errno: 0 },
    ]);
    expect(parseBench("bench read ns=10.0 cpu_ns=-1 errno=1\n")).toEqual([
      { call: "read", ns: 10, cpuNs: null, errno: 1 },
    ]);
  });

  it("says which calls a profile constrains by argument", () => {
    const p: DockerProfile = {
      defaultAction: "SCMP_ACT_ERRNO",
      syscalls: [
        { names: ["getppid", "read"], action: "SCMP_ACT_ALLOW" },
        { names: ["fcntl"], action: "SCMP_ACT_ALLOW", args: [{ index: 1, value: 3, op: "SCMP_CMP_EQ" }] },
        { names: ["munmap"], action: "SCMP_ACT_ALLOW", args: [{ index: 1, value: 4096, op: "SCMP_CMP_EQ" }] },
      ],
    };
    expect(hasArgRules(p, "getppid")).toBe(false);
    expect(hasArgRules(p, "fcntl")).toBe(true);
    expect(hasArgRules(p, "mmap+munmap")).toBe(true);
    expect(hasArgRules(null, "fcntl")).toBeNull();
  });

  it("rows: CPU ns per call against unconfined, round by round", () => {
    const rounds = {
      unconfined: [parseBench(out(100, 100)), parseBench(out(120, 110)), parseBench(out(90, 95))],
      learned: [parseBench(out(101, 150)), parseBench(out(121, 170)), parseBench(out(91, 140))],
    };
    const rows = microRows(["unconfined", "learned"], rounds, { unconfined: null, learned: null });
    const f = rows.find((r) => r.config === "learned" && r.call === "fcntl")!;
    expect(f.measure).toBe("cpu");
    expect(f.median).toBe(150);
    expect(f.ratio).toBeCloseTo(150 / 100, 10);
    expect(f.ratioLo).toBeGreaterThan(1.2);
    const g = rows.find((r) => r.config === "learned" && r.call === "getppid")!;
    expect(g.ratio).toBeCloseTo(101 / 100, 10);
  });
});
