/**
 * Coverage that knows its bound: the Chao2 estimate of how many syscall types the workload uses,
 * beside |M| (seen) and |S| (reachable in the image's code). The true number cannot exceed
 * |S ∪ M| (S misses only what the analysis cannot see: runtime, vDSO, indirect numbers, which M
 * holds), so an estimate above it says the estimator's assumptions fail (too few runs, a
 * heterogeneous workload), not that more calls remain.
 */
export interface CoverageBound {
  mined: number;
  reachable: number;
  union: number;
  chao2: number;
  /** the estimate exceeds |S ∪ M| */
  exceeds: boolean;
  /** the estimate clipped to [|M|, |S ∪ M|] */
  bounded: number;
  note: string;
}

export function coverageBound(
  chao2: number,
  minedSet: readonly string[],
  reachableSet: readonly string[],
): CoverageBound {
  const union = new Set([...minedSet, ...reachableSet]).size;
  const mined = new Set(minedSet).size;
  const exceeds = chao2 > union;
  return {
    mined,
    reachable: new Set(reachableSet).size,
    union,
    chao2,
    exceeds,
    bounded: Math.min(Math.max(chao2, mined), union),
    note: exceeds
      ? `Chao2 ${chao2.toFixed(1)} exceeds |S ∪ M| = ${union}: the estimate is above what the image's code can call`
      : `Chao2 ${chao2.toFixed(1)} within |S ∪ M| = ${union}`,
  };
}
