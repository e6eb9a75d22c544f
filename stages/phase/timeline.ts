/**
 * Resolves per-task timelines (phase, comm, thread group, arch) from markers. Phases follow the
 * container's life: `runtime` until runc's init loads the seccomp filter, `init` until that task's
 * next successful execve (the entrypoint), then `workload`; tasks inherit their parent's state at
 * the moment they were spawned. Without any filter-load marker in a run every phase is `unknown`.
 */
import type { Phase } from "../../schemas/events.ts";
import type { Marker, Pos } from "./markers.ts";

/** The state of a task from `pos` on. */
export interface TaskChange {
  pos: Pos;
  phase: Phase;
  comm: string | null;
  arch: string;
}

/** A task's state over its own positions; `changes` is sorted by pos and starts at -Infinity. */
export interface Timeline {
  tid: number;
  pid: number;
  changes: TaskChange[];
}

/** Returns the change in force at `pos` (binary search). */
export function stateAt(t: Timeline, pos: Pos): TaskChange {
  const c = t.changes;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (c[mid]!.pos < pos) lo = mid;
    else hi = mid - 1;
  }
  return c[lo]!;
}

function step(prev: TaskChange, m: Marker): TaskChange {
  switch (m.kind) {
    case "seccomp":
      return prev.phase === "runtime" ? { ...prev, pos: m.pos, phase: "init" } : prev;
    case "execve":
      return { ...prev, pos: m.pos, comm: m.comm, phase: prev.phase === "init" ? "workload" : prev.phase };
    case "name":
      return { ...prev, pos: m.pos, comm: m.comm };
    case "arch":
      return { ...prev, pos: m.pos, arch: m.arch };
    case "spawn":
    case "setup":
      return prev;
  }
}

/**
 * Builds a timeline for every task in `tids` of one run. A marker applies to events that start
 * after it (the marker call itself still runs under the old state).
 */
export function resolveTimelines(
  tids: Iterable<number>,
  markers: readonly Marker[],
  defaultArch: string,
): Map<number, Timeline> {
  const own = new Map<number, Marker[]>();
  const parentOf = new Map<number, Extract<Marker, { kind: "spawn" }>>();
  let anyFilter = false;
  for (const m of markers) {
    if (m.kind === "spawn") {
      if (!parentOf.has(m.child)) parentOf.set(m.child, m);
    } else {
      if (m.kind === "seccomp") anyFilter = true;
      const list = own.get(m.tid) ?? [];
      list.push(m);
      own.set(m.tid, list);
    }
  }
  for (const list of own.values()) list.sort((a, b) => a.pos - b.pos);
  const all = new Set<number>(tids);
  // spawned tasks too: in a single-file capture (`-f -o`) no file names them
  for (const m of markers) {
    all.add(m.tid);
    if (m.kind === "spawn") all.add(m.child);
  }
  const out = new Map<number, Timeline>();
  const visiting = new Set<number>();
  const resolve = (tid: number): Timeline => {
    const done = out.get(tid);
    if (done) return done;
    const spawn = parentOf.get(tid);
    let start: TaskChange = {
      pos: -Infinity,
      phase: anyFilter ? "runtime" : "unknown",
      comm: null,
      arch: defaultArch,
    };
    let pid = tid;
    if (spawn && spawn.tid !== tid && !visiting.has(tid)) {
      visiting.add(tid);
      const parent = resolve(spawn.tid);
      visiting.delete(tid);
      const at = stateAt(parent, spawn.pos);
      start = { ...at, pos: -Infinity };
      if (spawn.thread) pid = parent.pid;
    }
    const changes = [start];
    for (const m of own.get(tid) ?? []) {
      const next = step(changes[changes.length - 1]!, m);
      if (next !== changes[changes.length - 1]) changes.push(next);
    }
    const t = { tid, pid, changes };
    out.set(tid, t);
    return t;
  };
  for (const tid of [...all].sort((a, b) => a - b)) resolve(tid);
  return out;
}
