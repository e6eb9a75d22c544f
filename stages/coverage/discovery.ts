/**
 * Discovery curves: distinct units against the number of runs, averaged over seeded random run
 * orders (with spread), beside the exact expectation over all orders (sample-based rarefaction,
 * Colwell, Mao and Chang 2004: E[S_k] = Σ_u [1 − C(m−Y_u, k)/C(m, k)]).
 */
import { permutation, seededRandom } from "./rng.ts";
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
  const m = runs.length;
  const ids = new Map<string, number>();
  const sets = runs.map((r) =>
    [...new Set(r)].map((k) => ids.get(k) ?? (ids.set(k, ids.size), ids.size - 1)),
  );
  const incidence = new Array<number>(ids.size).fill(0);
  for (const s of sets) for (const u of s) incidence[u]!++;
  const sums = new Array<number>(m).fill(0);
  const sq = new Array<number>(m).fill(0);
  const mins = new Array<number>(m).fill(Infinity);
  const maxs = new Array<number>(m).fill(-Infinity);
  const random = seededRandom(seed);
  const seen = new Uint8Array(ids.size);
  for (let o = 0; o < orders; o++) {
    seen.fill(0);
    let distinct = 0;
    permutation(m, random).forEach((run, k) => {
      for (const u of sets[run]!) {
        if (!seen[u]) {
          seen[u] = 1;
          distinct++;
        }
      }
      sums[k]! += distinct;
      sq[k]! += distinct * distinct;
      mins[k] = Math.min(mins[k]!, distinct);
      maxs[k] = Math.max(maxs[k]!, distinct);
    });
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
