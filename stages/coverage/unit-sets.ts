/**
 * The units of each sampling unit as dense integer ids, each unit once per sample: what every
 * estimator here works on (incidence, discovery curve, leave-one-run-out), built once per level
 * instead of once per estimator from the string keys (three string-keyed maps and a `Set` per run
 * each time: the largest JavaScript cost of a coverage run, measured on the analyze bench).
 * Ids are given in first-seen order (sample by sample, key by key), the order the string-keyed
 * maps kept: every sum over units runs in the same order, so the same bits.
 */

/** The samples' units as ids 0..n-1 (`sets[i]`: sample i's distinct units, in first-seen order). */
export interface UnitSets {
  /** number of distinct units over all samples */
  readonly n: number;
  readonly sets: readonly Int32Array[];
}

/** Ids for `runs[i]`, the unit keys of sample i (duplicates within a sample count once). */
export function unitSets(runs: readonly (readonly string[])[]): UnitSets {
  const ids = new Map<string, number>();
  // the sample a unit was last seen in: a duplicate within a sample is skipped without a Set
  const lastIn: number[] = [];
  const sets = runs.map((run, i) => {
    const out: number[] = [];
    for (const key of run) {
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
        lastIn.push(-1);
      }
      if (lastIn[id] === i) continue;
      lastIn[id] = i;
      out.push(id);
    }
    return Int32Array.from(out);
  });
  return { n: ids.size, sets };
}

/** How many samples saw each unit (index: its id). */
export function incidenceCounts(u: UnitSets): Int32Array {
  const total = new Int32Array(u.n);
  for (const s of u.sets) for (let j = 0; j < s.length; j++) total[s[j]!]!++;
  return total;
}
