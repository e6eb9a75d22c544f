/**
 * The phase boundary rules (stages/phase/boundary.ts) and the timelines they give, on the markers
 * of runc's tasks: the filter load when there is one; otherwise after runc init's last
 * container-building call, or just before its execve of the entrypoint; else nothing.
 */
import { describe, expect, it } from "vitest";
import { inferBoundary } from "../../stages/phase/boundary.ts";
import type { Marker } from "../../stages/phase/markers.ts";
import { resolveTimelines, stateAt } from "../../stages/phase/timeline.ts";

const INIT = 20;
const CHILD = 30;

/** runc init (tid 20): named, builds the container (lines 10–40), maybe loads the filter (50), execs at 60, spawns a worker at 70. */
function markers(opts: { filter?: boolean; setup?: boolean }): Marker[] {
  const m: Marker[] = [{ kind: "name", tid: INIT, pos: 5, comm: "runc:[2:INIT]" }];
  if (opts.setup !== false) {
    m.push({ kind: "setup", tid: INIT, pos: 10 }, { kind: "setup", tid: INIT, pos: 40 });
  }
  if (opts.filter) m.push({ kind: "seccomp", tid: INIT, pos: 50 });
  m.push(
    { kind: "execve", tid: INIT, pos: 60, comm: "nginx" },
    { kind: "spawn", tid: INIT, pos: 70, child: CHILD, thread: false, ts: -1 },
  );
  return m;
}

function phases(ms: readonly Marker[]): Record<string, string> {
  const b = inferBoundary(ms);
  const tl = resolveTimelines([INIT, CHILD], b.markers, "x86_64");
  const at = (tid: number, pos: number) => stateAt(tl.get(tid)!, pos).phase;
  return {
    rule: b.rule,
    mount40: at(INIT, 40),
    call45: at(INIT, 45),
    execve60: at(INIT, 60),
    after61: at(INIT, 61),
    child: at(CHILD, 100),
  };
}

describe("phase boundary", () => {
  it("a filter load decides (the building calls stay runtime)", () => {
    expect(phases(markers({ filter: true }))).toEqual({
      rule: "filter-load",
      mount40: "runtime",
      call45: "runtime",
      execve60: "init",
      after61: "workload",
      child: "workload",
    });
  });

  it("no filter load: after runc init's last building call, a guess that keeps mount out of init", () => {
    expect(phases(markers({}))).toEqual({
      rule: "runc-init-setup",
      mount40: "runtime",
      call45: "init",
      execve60: "init",
      after61: "workload",
      child: "workload",
    });
  });

  it("no filter load and no building call: just before the entrypoint's execve", () => {
    expect(phases(markers({ setup: false }))).toEqual({
      rule: "runc-init-exec",
      mount40: "runtime",
      call45: "runtime",
      execve60: "init",
      after61: "workload",
      child: "workload",
    });
  });

  it("no runc init task: every phase unknown", () => {
    const ms: Marker[] = [{ kind: "execve", tid: INIT, pos: 60, comm: "app" }];
    const b = inferBoundary(ms);
    expect(b.rule).toBe("none");
    expect(stateAt(resolveTimelines([INIT], b.markers, "x86_64").get(INIT)!, 61).phase).toBe("unknown");
  });

  it("single-file captures: a spawned task no file names still inherits its parent's state", () => {
    const tl = resolveTimelines([], markers({ filter: true }), "x86_64");
    expect(tl.get(CHILD)?.pid).toBe(CHILD);
    expect(stateAt(tl.get(CHILD)!, 1).phase).toBe("workload");
  });
});
