/**
 * Discovery curves: distinct units against the number of runs, averaged over seeded random run
 * orders (with spread), beside the exact expectation over all orders (sample-based rarefaction,
 * Colwell, Mao and Chang 2004: E[S_k] = Σ_u [1 − C(m−Y_u, k)/C(m, k)]).
 */
import { permutation, seededRandom } from "./rng.ts";
import { incidenceCounts, unitSets, type UnitSets } from "./unit-sets.ts";
import type { DiscoveryPoint } from "../../schemas/coverage.ts";

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.log(n - i) - Math.log(i + 1);
  return s;
}

/** Curve over `orders` random run orders drawn from `seed`; `runs[i]` lists run i's unit keys. */
export function discoveryCurve(
  runs: readonly (readonly string[])[],
  orders = 200,
  seed = 1,
): DiscoveryPoint[] {
  return discoveryCurveOf(unitSets(runs), orders, seed);
}

/**
 * Units seen by the same runs, with how many there are: in a run order they all appear at the
 * same step (the first of their runs in the order), so an order costs one minimum per group
 * instead of a visit per unit and run (most units are seen by every run, or by the same few).
 */
function sameRunGroups(u: UnitSets): { runs: Int32Array[]; count: number[] } {
  const runsOf: number[][] = Array.from({ length: u.n }, () => []);
  u.sets.forEach((s, i) => {
    for (let j = 0; j < s.length; j++) runsOf[s[j]!]!.push(i);
  });
  const index = new Map<string, number>();
  const runs: Int32Array[] = [];
  const count: number[] = [];
  for (const r of runsOf) {
    const key = r.join(",");
    const g = index.get(key);
    if (g === undefined) {
      index.set(key, runs.length);
      runs.push(Int32Array.from(r));
      count.push(1);
    } else count[g]!++;
  }
  return { runs, count };
}

/** `discoveryCurve` on units as ids (unit-sets.ts). */
export function discoveryCurveOf(u: UnitSets, orders = 200, seed = 1): DiscoveryPoint[] {
  const m = u.sets.length;
  const incidence = incidenceCounts(u);
  const groups = sameRunGroups(u);
  const sums = new Array<number>(m).fill(0);
  const sq = new Array<number>(m).fill(0);
  const mins = new Array<number>(m).fill(Infinity);
  const maxs = new Array<number>(m).fill(-Infinity);
  const random = seededRandom(seed);
  const pos = new Int32Array(m);
  const found = new Int32Array(m);
  for (let o = 0; o < orders; o++) {
    permutation(m, random).forEach((run, k) => {
      pos[run] = k;
    });
    // units first found at step k of this order: their group's earliest run in it
    found.fill(0);
    for (let g = 0; g < groups.runs.length; g++) {
      const r = groups.runs[g]!;
      let first = m;
      for (let j = 0; j < r.length; j++) first = Math.min(first, pos[r[j]!]!);
      if (first < m) found[first]! += groups.count[g]!;
    }
    let distinct = 0;
    for (let k = 0; k < m; k++) {
      distinct += found[k]!;
      sums[k]! += distinct;
      sq[k]! += distinct * distinct;
      mins[k] = Math.min(mins[k]!, distinct);
      maxs[k] = Math.max(maxs[k]!, distinct);
    }
  }
  // a unit's term depends only on its incidence y (1..m): tabulated once per k, then summed over
  // the units in their order (the same additions as term by term, so the same bits)
  const term = new Float64Array(m + 1);
  return sums.map((sum, i) => {
    const k = i + 1;
    const mean = sum / orders;
    const all = logChoose(m, k);
    for (let y = 0; y <= m; y++) term[y] = m - y < k ? 1 : 1 - Math.exp(logChoose(m - y, k) - all);
    let expected = 0;
    for (const y of incidence) expected += term[y]!;
    return {
      runs: k,
      mean,
      sd: Math.sqrt(Math.max(sq[i]! / orders - mean * mean, 0)),
      min: mins[i]!,
      max: maxs[i]!,
      expected,
    };
  });
}
