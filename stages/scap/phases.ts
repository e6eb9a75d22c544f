/**
 * Phases of scap rows with strace's rules (stages/phase/timeline.ts): when the capture loads a
 * seccomp filter anywhere, tasks start in `runtime`; the task that loads a filter (a successful
 * seccomp(SECCOMP_SET_MODE_FILTER), as libseccomp does for runc) moves to `init`, and on its next
 * successful execve to `workload`; a new task takes its parent's phase at the clone. Without a
 * filter load every row is `unknown`. Applied in file order as rows come out, so a marker call
 * itself still runs under the old phase. prctl(PR_SET_SECCOMP) cannot count: sysdig's PPM prctl
 * options have no value for it, so the capture does not say which prctl it was.
 *
 * The parent of a new task is the `ptid` of the child's clone/fork exit event, or for a thread
 * (CLONE_THREAD) its process's main thread (`pid`), since sysdig's ptid is then the process's
 * parent; when only the parent's exit event is seen, its return value names the child (a pid
 * namespace makes that the child's namespace-local id, which then matches no task).
 */
import type { Phase } from "../../schemas/events.ts";
import { SCAP_EVENTS } from "../../schemas/generated/scap-events.ts";
import { decodeParam, type DecodedParam } from "./decoded-param.ts";
import type { ScapEvent } from "./event.ts";
import { ppmToKernel } from "./ppm-flags.ts";

const SPAWNS = new Set(["clone", "clone3", "fork", "vfork"]);

/** The calls whose parameters PhaseTracker.row reads (for any other it needs none). */
export const PHASE_CALLS: ReadonlySet<string> = new Set([...SPAWNS, "seccomp"]);
const SECCOMP_SET_MODE_FILTER = 1;
const SECCOMP_E = 298;
const SECCOMP_X = 299;

/** Every parameter name PhaseTracker.row looks up (callers may leave the others out). */
export const PHASE_PARAMS: ReadonlySet<string> = new Set(["flags", "pid", "ptid", "op"]);

function param(params: readonly DecodedParam[], name: string): DecodedParam | undefined {
  for (const p of params) if (p.info.name === name) return p;
  return undefined;
}

function num(p: DecodedParam | undefined): number | null {
  if (p === undefined || p.int === null) return null;
  return Number(p.int);
}

/** true when a finished `seccomp` call (parameters of both events) loaded a filter. */
export function loadsFilter(name: string, params: readonly DecodedParam[], ret: number | null): boolean {
  return (
    name === "seccomp" && ret !== null && ret >= 0 && num(param(params, "op")) === SECCOMP_SET_MODE_FILTER
  );
}

/**
 * Finds filter loads while a capture is scanned event by event; `tid` is the first task seen
 * loading one, or -1.
 */
export class FilterScan {
  tid = -1;
  private readonly ops = new Map<number, number | null>();

  event(ev: ScapEvent): void {
    if (this.tid >= 0 || (ev.type !== SECCOMP_E && ev.type !== SECCOMP_X)) return;
    const info = SCAP_EVENTS[ev.type]!;
    const params: DecodedParam[] = [];
    for (let i = 0; i < ev.nparams; i++) params.push(decodeParam(ev, i, info.params[i]!));
    if (ev.type === SECCOMP_E) {
      this.ops.set(ev.tid, num(param(params, "op")));
      return;
    }
    const ret = num(params[0]);
    if (loadsFilter(info.name, this.enterOp(ev.tid), ret)) this.tid = ev.tid;
  }

  private enterOp(tid: number): DecodedParam[] {
    const op = this.ops.get(tid);
    if (op === undefined || op === null) return [];
    const info = SCAP_EVENTS[SECCOMP_E]!.params[0]!;
    return [{ info, int: op, str: null, kind: 0, family: -1, text: String(op) }];
  }
}

/** The phase of each task, as rows come out in file order. */
export class PhaseTracker {
  private readonly byTid = new Map<number, Phase>();
  /** children named by a parent's clone exit before the child's own events. */
  private readonly inherited = new Map<number, Phase>();

  /** `initial`: `runtime` when the capture loads a filter, else `unknown` (then nothing is tracked). */
  constructor(private readonly initial: Phase) {}

  /** false when every row is `unknown` (row() then reads no parameter). */
  get tracking(): boolean {
    return this.initial !== "unknown";
  }

  /** The phase row `name` of `tid` runs in; then applies what the call changes. */
  row(tid: number, name: string, params: readonly DecodedParam[], ret: number | null): Phase {
    if (this.initial === "unknown") return "unknown";
    if (SPAWNS.has(name) && ret === 0 && !this.byTid.has(tid)) {
      const thread = param(params, "flags");
      const isThread =
        thread !== undefined &&
        typeof thread.int === "number" &&
        thread.info.info !== undefined &&
        ppmToKernel(thread.info.info, thread.int).names.split("|").includes("CLONE_THREAD");
      const parent = num(param(params, isThread ? "pid" : "ptid"));
      const from = parent === null || parent === tid ? undefined : this.byTid.get(parent);
      this.byTid.set(tid, from ?? this.inherited.get(tid) ?? this.initial);
    }
    let phase = this.byTid.get(tid);
    if (phase === undefined) {
      phase = this.inherited.get(tid) ?? this.initial;
      this.byTid.set(tid, phase);
    }
    if (SPAWNS.has(name) && ret !== null && ret > 0 && !this.byTid.has(ret)) this.inherited.set(ret, phase);
    else if (phase === "runtime" && loadsFilter(name, params, ret)) this.byTid.set(tid, "init");
    else if (phase === "init" && (name === "execve" || name === "execveat") && ret === 0)
      this.byTid.set(tid, "workload");
    return phase;
  }
}
