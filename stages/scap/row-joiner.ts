/**
 * Joins each thread's enter and exit events into one `events` row: arguments from both (the exit
 * wins for a name in both), return value and errno from the exit, duration; PPM flags become
 * kernel values (raw PPM text kept in args_raw). Used by the sysdig text and JSON readers, which
 * feed it decoded parameters; the scap parser writes the same rows from parameter offsets
 * (scap-rows.ts, kept byte-identical by test/scap/rows-digest.test.ts). Text and JSON carry no
 * descriptor table to decorate from, and a host capture is split by image after parsing.
 */
import { UNNAMED_SYSCALL, type Phase } from "../../schemas/events.ts";
import { SCAP_EVENTS, type ScapParamInfo } from "../../schemas/generated/scap-events.ts";
import type { EventBatch } from "../columns/event-batch.ts";
import { kernelArgIndex } from "./arg-names.ts";
import { PhaseTracker } from "./phases.ts";
import { ERRNO_NAMES, type DecodedParam } from "./decoded-param.ts";
import { KIND } from "./param-kinds.ts";
import { ppmToKernel } from "./ppm-flags.ts";
import type { ThreadInfo } from "./proclist.ts";
import { namedCall, genericCall, type KernelCall } from "./syscall-name.ts";

/** Options fixed for one capture file. */
export interface RowOptions {
  capture: string;
  /** format column: scap | sysdig-text | sysdig-json. */
  format: string;
  /** architecture of the recorded host (captures do not say). */
  arch: string;
  phase: string;
}

/** One event (half of a call). */
export interface Half {
  /** sysdig's event number. */
  num: number;
  /** timestamp (ns): high and low u32 halves. */
  tsHi: number;
  tsLo: number;
  /** event type (PPME_*). */
  type: number;
  params: DecodedParam[];
  /** syscall name when known otherwise than from the parameters (generic events in text). */
  name?: string;
}

/** Parameter names whose string goes to the path (then path2) column. */
export const PATH_PARAMS: ReadonlySet<string> = new Set([
  "name",
  "path",
  "filename",
  "pathname",
  "oldpath",
  "newpath",
  "target",
  "linkpath",
]);
/** Types of a return value that is an errno when negative. */
export const RET_TYPES: ReadonlySet<string> = new Set(["ERRNO", "FD", "PID"]);
const NON_ASCII = /[^\x00-\x7f]/;
const NONE: readonly DecodedParam[] = [];
const IS_ENTER = Uint8Array.from(SCAP_EVENTS, (e) => (e.dir === ">" ? 1 : 0));

/** Turns enter/exit events into rows of `batch`. */
export class RowJoiner {
  events = 0;
  /** enter events whose exit never came. */
  unfinishedNeverResumed = 0;
  private readonly pending = new Map<number, Half>();
  /** kernel argument index of each event parameter (one syscall name per non-generic event type). */
  private readonly argIdx = new Map<ScapParamInfo, number>();
  private readonly phases: PhaseTracker;
  /** the call of each event name (memoised: looked up for every event). */
  private readonly kernel = new Map<string, KernelCall | null>();

  constructor(
    private readonly opts: RowOptions,
    private readonly batch: EventBatch,
    private readonly threads: ReadonlyMap<number, ThreadInfo>,
  ) {
    this.phases = new PhaseTracker(opts.phase as Phase);
  }

  /** Adds one event of thread `tid`; rows come out when a call is complete. */
  add(tid: number, half: Half): void {
    const open = this.pending.get(tid);
    if (IS_ENTER[half.type] === 1) {
      if (open) {
        this.unfinishedNeverResumed++;
        this.emit(tid, open, null);
      }
      this.pending.set(tid, half);
    } else if (open && open.type === half.type - 1) {
      this.pending.delete(tid);
      this.emit(tid, open, half);
    } else this.emit(tid, null, half);
  }

  /**
   * The call event `half` records: the syscall of its event type, or for a generic event (or a
   * printed name) the one its parameters (or the name) give; null when it names no syscall of the
   * capture's architecture, which the parsers reject instead of adding.
   */
  callOf(half: Half): KernelCall | null {
    const type = SCAP_EVENTS[half.type]!.name;
    if (half.name === undefined && type === "syscall") {
      const id = half.params[0]?.int;
      const native = half.params[1]?.int;
      return genericCall(
        typeof id === "number" ? id : null,
        typeof native === "number" ? native : null,
        this.opts.arch,
      );
    }
    const name = half.name ?? type;
    let k = this.kernel.get(name);
    if (k === undefined) this.kernel.set(name, (k = namedCall(name, this.opts.arch)));
    return k;
  }

  /** Event type of the call open on thread `tid`, or -1. */
  pendingType(tid: number): number {
    return this.pending.get(tid)?.type ?? -1;
  }

  /** Emits the calls still open (unfinished). */
  finish(): void {
    for (const [tid, h] of this.pending) {
      this.unfinishedNeverResumed++;
      this.emit(tid, h, null);
    }
    this.pending.clear();
  }

  private emit(tid: number, enter: Half | null, exit: Half | null): void {
    const th = this.threads.get(tid);
    const b = this.batch;
    const row = b.length;
    const first = (enter ?? exit)!;
    const info = SCAP_EVENTS[first.type]!;
    // the parsers only add events that name a call (callOf), and a row is named by its first event
    const k = this.callOf(first) ?? { name: UNNAMED_SYSCALL, nr: null };
    const name = k.name;
    b.capture.push(this.opts.capture);
    b.format.push(this.opts.format);
    b.ts_ns.pushHiLo(first.tsHi, first.tsLo);
    b.pid.push(th?.pid ?? tid);
    b.tid.push(tid);
    if (th?.comm) b.comm.push(th.comm);
    else b.comm.pushNull();
    if (th?.containerId) b.container_id.set(row, th.containerId);
    b.syscall.push(k.name);
    if (k.nr === null) b.nr.pushNull();
    else b.nr.push(k.nr);
    b.arch.push(this.opts.arch);
    // arguments: enter first, exit overrides by name; the exit's first parameter is the return value
    const exitParams = exit?.params ?? NONE;
    const all: DecodedParam[] = [];
    for (const p of enter?.params ?? NONE) {
      let inExit = false;
      for (let i = 1; i < exitParams.length; i++) if (exitParams[i]!.info.name === p.info.name) inExit = true;
      if (!inExit) all.push(p);
    }
    for (let i = 1; i < exitParams.length; i++) all.push(exitParams[i]!);
    let raw = "";
    let unknown: string[] | null = null;
    let paths = 0;
    let family = -1;
    let setArgs = 0; // bit i: kernel argument i already set
    const isGeneric = info.name === "syscall";
    for (const p of all) {
      raw += (raw === "" ? "" : " ") + p.info.name + "=" + p.text;
      if (isGeneric) continue;
      if (p.family >= 0 && family < 0) family = p.family;
      if (p.str !== null && PATH_PARAMS.has(p.info.name) && paths < 2) {
        (paths++ === 0 ? b.path : b.path2).setString(row, p.str);
      }
      if (p.int === null) continue;
      let idx = this.argIdx.get(p.info);
      if (idx === undefined) {
        idx = kernelArgIndex(k.name, p.info.name, this.opts.arch);
        this.argIdx.set(p.info, idx);
      }
      let v: number | bigint | null = p.int;
      if (p.kind === KIND.flags && typeof v === "number") {
        const kv = ppmToKernel(p.info.info!, v);
        if (kv.unknown.length > 0) (unknown ??= []).push(...kv.unknown);
        v = kv.value;
      } else if (
        typeof v === "number" &&
        (p.info.type === "FD" || p.info.type === "PID") &&
        v >= 2 ** 31 &&
        v < 2 ** 32
      ) {
        v -= 2 ** 32; // an int fd stored zero-extended by old drivers (sysdig prints 4294967295 for -1)
      }
      if (idx >= 0 && v !== null && (setArgs & (1 << idx)) === 0) {
        setArgs |= 1 << idx;
        b.args[idx]!.set(row, v);
      }
    }
    const ret = exitParams[0];
    if (ret) raw += (raw === "" ? "" : " ") + ret.info.name + "=" + ret.text;
    const text = raw;
    // ASCII (nearly always) is written byte for byte, faster than the UTF-8 encoder
    if (NON_ASCII.test(text)) b.args_raw.pushString(text);
    else b.args_raw.pushLatin1(text);
    if (family >= 0) b.sa_family.set(row, family);
    if (unknown !== null) b.unknown_syms.setString(row, [...new Set(unknown)].join("|"));
    const rv = ret?.int ?? null;
    if (rv === null || isGeneric) b.ret.pushNull();
    else b.ret.push(rv);
    if (typeof rv === "number" && rv < 0 && rv >= -4095 && ret && RET_TYPES.has(ret.info.type)) {
      b.errno.set(row, -rv);
      const en = ERRNO_NAMES.get(-rv);
      if (en) b.errno_name.set(row, en);
    }
    b.phase.push(this.phases.row(tid, name, all, typeof rv === "number" ? rv : null));
    if (enter && exit) b.duration_ns.push((exit.tsHi - enter.tsHi) * 4294967296 + (exit.tsLo - enter.tsLo));
    else b.duration_ns.pushNull();
    if (!exit) b.unfinished.set(row);
    b.seq.push(first.num);
    this.events++;
  }
}
