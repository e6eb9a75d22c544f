/**
 * Where the container's filter starts to govern, for captures that do not show the filter load.
 * A capture of a container run unconfined (or recorded from a point after the load) has no
 * seccomp()/prctl(PR_SET_SECCOMP) call, yet runc's init task is recognisable: nsexec names it
 * `runc:[2:INIT]`, it builds the container (mount, pivot_root, sethostname, keyctl, …) and then
 * execve()s the entrypoint. runc loads the filter after the last of those building calls and before
 * that execve, so the boundary is placed right after the last one (or, without any, just before
 * the execve). That is a guess about the exact point, never about which side the building calls
 * are on: none of them can land in a governed phase.
 */
import type { Marker } from "./markers.ts";

/** Which rule decided the phase boundary of a run (kept in `runs.phase_rule`). */
export type PhaseRule = "filter-load" | "runc-init-setup" | "runc-init-exec" | "none";

/** Rules that place the boundary from indirect evidence: phases are then a guess. */
export const GUESSED_RULES: ReadonlySet<PhaseRule> = new Set(["runc-init-setup", "runc-init-exec"]);

/** The comm runc's nsexec gives its stage-2 init (runc ≥ 1.0; `runc:[2:INIT]`). */
export const RUNC_INIT_COMM = "runc:[2:INIT]";

export interface Boundary {
  rule: PhaseRule;
  /** the markers, with a filter-load marker added where the boundary was inferred. */
  markers: Marker[];
}

/** Decides the boundary of one run from its markers. */
export function inferBoundary(markers: readonly Marker[]): Boundary {
  if (markers.some((m) => m.kind === "seccomp")) return { rule: "filter-load", markers: [...markers] };
  const byTid = new Map<number, Marker[]>();
  for (const m of markers) {
    if (m.kind === "spawn") continue;
    const list = byTid.get(m.tid) ?? [];
    list.push(m);
    byTid.set(m.tid, list);
  }
  const added: Marker[] = [];
  let rule: PhaseRule = "none";
  for (const tid of [...byTid.keys()].sort((a, b) => a - b)) {
    const own = byTid.get(tid)!.sort((a, b) => a.pos - b.pos);
    const named = own.find((m) => m.kind === "name" && m.comm === RUNC_INIT_COMM);
    if (!named) continue;
    const exec = own.find((m) => m.kind === "execve" && m.pos > named.pos);
    if (!exec) continue;
    const setups = own.filter((m) => m.kind === "setup" && m.pos < exec.pos);
    const last = setups[setups.length - 1];
    // a marker applies to what starts after it: at the last building call, or just before execve
    added.push({ kind: "seccomp", tid, pos: last ? last.pos : exec.pos - 0.5 });
    if (rule !== "runc-init-exec") rule = last ? "runc-init-setup" : "runc-init-exec";
  }
  return { rule, markers: [...markers, ...added] };
}
