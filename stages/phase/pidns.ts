/**
 * Containers run in their own pid namespace: clone() returns the child's pid inside it (2, 3, …)
 * while `strace -ff` names files by host pid. Spawns whose child is not a task of the capture are
 * matched to the unclaimed task that started first after the spawn (greedy, in time order).
 */
import type { Marker } from "./markers.ts";

type Spawn = Extract<Marker, { kind: "spawn" }>;

/**
 * Returns markers with namespace-local children replaced by host tids. `starts` maps each task of
 * the capture to the time of its first line (-1 when unknown).
 */
export function translatePidNamespaces(
  markers: readonly Marker[],
  starts: ReadonlyMap<number, number>,
): Marker[] {
  const known = new Set(starts.keys());
  const claimed = new Set<number>();
  for (const m of markers) if (m.kind === "spawn" && known.has(m.child)) claimed.add(m.child);
  const foreign = markers.filter((m): m is Spawn => m.kind === "spawn" && !known.has(m.child) && m.ts >= 0);
  if (foreign.length === 0) return [...markers];
  const free = [...known]
    .filter((t) => !claimed.has(t) && (starts.get(t) ?? -1) >= 0)
    .sort((a, b) => starts.get(a)! - starts.get(b)! || a - b);
  const mapped = new Map<Spawn, number>();
  for (const s of [...foreign].sort((a, b) => a.ts - b.ts || a.tid - b.tid)) {
    const i = free.findIndex((t) => t !== s.tid && starts.get(t)! >= s.ts);
    if (i < 0) continue;
    mapped.set(s, free[i]!);
    free.splice(i, 1);
  }
  return markers.map((m) => (m.kind === "spawn" && mapped.has(m) ? { ...m, child: mapped.get(m)! } : m));
}
