/**
 * The scap parser's row builder: RowJoiner's rows (same columns, same bytes) built from each
 * event's parameter offsets in the capture buffer instead of parameter objects. An enter event
 * waits as a copy of its offsets; at the join each parameter is decoded straight into the columns
 * and its sysdig-style text into the `args_raw` bytes (param-text.ts). Parameter objects
 * (decodeParam) are made only for the calls whose parameters the fd table or the phase tracker read
 * (opens, closes, clones, …; FD_CALLS and PHASE_CALLS).
 */
import type { Phase } from "../../schemas/events.ts";
import { SCAP_EVENTS, type ScapParamInfo } from "../../schemas/generated/scap-events.ts";
import type { EventBatch } from "../columns/event-batch.ts";
import { kernelArgIndex } from "./arg-names.ts";
import { ERRNO_NAMES, decodeParamLazily, type DecodedParam } from "./decoded-param.ts";
import { ScapEvent } from "./event.ts";
import { FD_CALLS, FD_PARAMS, appliesTo, type FdTables } from "./fd-table.ts";
import type { ImageSplit } from "./image-split.ts";
import { KIND, PARAM_KINDS, PARAM_SIGNED } from "./param-kinds.ts";
import { ByteText, intForm, writeInt, writeOther, writeString } from "./param-text.ts";
import { paramInt } from "./param-value.ts";
import { PHASE_CALLS, PHASE_PARAMS, PhaseTracker } from "./phases.ts";
import { ppmToKernel } from "./ppm-flags.ts";
import type { ThreadInfo } from "./proclist.ts";
import { PATH_PARAMS, RET_TYPES, type RowOptions } from "./row-joiner.ts";
import { genericCall, namedCall, type KernelCall } from "./syscall-name.ts";

/**
 * A thread's slot for the enter event waiting for its exit: a copy of its header and parameter
 * offsets. Slots stay in the map once made (no delete and set per call, which cost allocations);
 * `since` orders the open ones as a map that deleted closed ones would (finish's order).
 */
interface Open {
  ev: ScapEvent;
  num: number;
  call: KernelCall;
  open: boolean;
  since: number;
}

const NONE: readonly DecodedParam[] = [];
const NULL_TEXT = Buffer.from("NULL");
const UNKNOWN_TEXT = Buffer.from("?");
const IS_ENTER = Uint8Array.from(SCAP_EVENTS, (e) => (e.dir === ">" ? 1 : 0));
const IS_GENERIC = Uint8Array.from(SCAP_EVENTS, (e) => (e.name === "syscall" ? 1 : 0));
/** What the row builder needs of one parameter of an event type, looked up once. */
class ParamDesc {
  readonly kind: number;
  readonly signed: boolean;
  /** intForm: how its integer text is written. */
  readonly form: number;
  /** `name=` as bytes. */
  readonly nameEq: Buffer;
  /** its string goes to the path columns. */
  readonly isPath: boolean;
  /** the fd table or the phase tracker looks it up by name (the others need no object). */
  readonly lookedUp: boolean;
  readonly isFd: boolean;
  /** FD or PID: a 32-bit value stored zero-extended is negative. */
  readonly fdOrPid: boolean;
  readonly dirfd: boolean;
  constructor(
    readonly info: ScapParamInfo,
    type: number,
    i: number,
  ) {
    this.kind = PARAM_KINDS[type]![i]!;
    this.signed = PARAM_SIGNED[type]![i] === 1;
    this.form = intForm(info, this.kind);
    this.nameEq = Buffer.from(`${info.name}=`);
    this.isPath = PATH_PARAMS.has(info.name);
    this.lookedUp = FD_PARAMS.has(info.name) || PHASE_PARAMS.has(info.name);
    this.isFd = info.type === "FD";
    this.fdOrPid = info.type === "FD" || info.type === "PID";
    this.dirfd = info.name.endsWith("dirfd");
  }
}

const DESC: readonly (readonly ParamDesc[])[] = SCAP_EVENTS.map((e, t) =>
  e.params.map((p, i) => new ParamDesc(p, t, i)),
);

/**
 * For enter type t and parameter j: the first index i ≥ 1 of a parameter of the same name in the
 * exit event t + 1 (the exit's value wins when the exit has it), or 255.
 */
const OVERRIDDEN = SCAP_EVENTS.map((e, t) =>
  Uint8Array.from(e.params, (p) => {
    const x = SCAP_EVENTS[t + 1]?.params ?? [];
    for (let i = 1; i < x.length; i++) if (x[i]!.name === p.name) return i;
    return 255;
  }),
);

/** Integer value of parameter `i` as decodeParam gives it (null: empty, not an integer, odd width). */
function intValue(ev: ScapEvent, i: number): number | bigint | null {
  if (i >= ev.nparams || ev.len[i] === 0) return null;
  const kind = PARAM_KINDS[ev.type]![i]!;
  if (kind !== KIND.int && kind !== KIND.flags) return null;
  return paramInt(ev, i, PARAM_SIGNED[ev.type]![i] === 1);
}

/** Turns the enter/exit events of a scap capture into rows of `batch`. */
export class ScapRows {
  events = 0;
  /** enter events whose exit never came. */
  unfinishedNeverResumed = 0;
  private readonly pending = new Map<number, Open>();
  private opened = 0;
  /** generic events' calls by PPM_SC code and native number (memoised). */
  private readonly generic = new Map<number, KernelCall | null>();
  /** the call of each non-generic event type (memoised: asked for every event). */
  private readonly calls: (KernelCall | null | undefined)[] = [];
  /** kernel argument index of each event type's parameters (-2: not yet looked up). */
  private readonly argIdx: (Int8Array | undefined)[] = [];
  /** per event type: 1 when its rows need parameter objects, 0 when not, undefined: unknown. */
  private readonly needsObjects: (number | undefined)[] = [];
  private readonly phases: PhaseTracker;
  private readonly text = new ByteText();
  // state of the row being built
  private paths = 0;
  private family = -1;
  private setArgs = 0;
  private fdArg = -1;
  private fdVal = 0;
  private fdDir = false;
  private unknown: string[] | null = null;

  constructor(
    private readonly opts: RowOptions,
    private readonly batch: EventBatch,
    private readonly threads: ReadonlyMap<number, ThreadInfo>,
    private readonly split: ImageSplit | null,
    private readonly fds: FdTables,
  ) {
    this.phases = new PhaseTracker(opts.phase as Phase);
  }

  /**
   * The call event `ev` records (RowJoiner.callOf): its type's syscall, or a generic event's from
   * its parameters; null when it names no syscall of the architecture.
   */
  callOf(ev: ScapEvent): KernelCall | null {
    const t = ev.type;
    if (IS_GENERIC[t] === 1) {
      const v0 = intValue(ev, 0);
      const v1 = intValue(ev, 1);
      const id = typeof v0 === "number" ? v0 : null;
      const native = typeof v1 === "number" ? v1 : null;
      // both are u16 in the event table; other values are not memoised
      const small =
        (id === null || (id >= 0 && id < 0xffff)) && (native === null || (native >= 0 && native < 0xffff));
      if (!small) return genericCall(id, native, this.opts.arch);
      const key = (id ?? 0xffff) * 0x10000 + (native ?? 0xffff);
      let k = this.generic.get(key);
      if (k === undefined) this.generic.set(key, (k = genericCall(id, native, this.opts.arch)));
      return k;
    }
    let k = this.calls[t];
    if (k === undefined) this.calls[t] = k = namedCall(SCAP_EVENTS[t]!.name, this.opts.arch);
    return k;
  }

  /** Adds event `ev` (number `num`, recording `call`); rows come out when a call is complete. */
  add(ev: ScapEvent, num: number, call: KernelCall): void {
    const tid = ev.tid;
    let slot = this.pending.get(tid);
    const open = slot !== undefined && slot.open;
    if (IS_ENTER[ev.type] === 1) {
      if (slot === undefined) {
        slot = { ev: new ScapEvent(), num: 0, call, open: false, since: 0 };
        this.pending.set(tid, slot);
      }
      if (open) {
        this.unfinishedNeverResumed++;
        this.emit(tid, slot, null, 0, null); // replaced: keeps its place in finish's order
      } else slot.since = this.opened++;
      this.keep(slot, ev, num, call);
    } else if (open && slot!.ev.type === ev.type - 1) {
      slot!.open = false;
      this.emit(tid, slot!, ev, num, call);
    } else this.emit(tid, null, ev, num, call);
  }

  /** Emits the calls still open (unfinished). */
  finish(): void {
    const open = [...this.pending].filter(([, o]) => o.open).sort((x, y) => x[1].since - y[1].since);
    for (const [tid, o] of open) {
      this.unfinishedNeverResumed++;
      o.open = false;
      this.emit(tid, o, null, 0, null);
    }
  }

  private keep(o: Open, ev: ScapEvent, num: number, call: KernelCall): Open {
    const c = o.ev;
    c.buf = ev.buf;
    c.type = ev.type;
    c.tid = ev.tid;
    c.tsHi = ev.tsHi;
    c.tsLo = ev.tsLo;
    c.nparams = ev.nparams;
    for (let i = 0; i < ev.nparams; i++) {
      c.start[i] = ev.start[i]!;
      c.len[i] = ev.len[i]!;
    }
    o.num = num;
    o.call = call;
    o.open = true;
    return o;
  }

  /**
   * true when the row's call (first event `type`, return value `ret`) needs parameter objects: the
   * fd table applies it (a descriptor call that succeeded), or the phase tracker reads it.
   */
  private needs(type: number, call: KernelCall, ret: number | null): boolean {
    let n = this.needsObjects[type];
    if (n === undefined) {
      const name = SCAP_EVENTS[type]!.name;
      n = (FD_CALLS.has(name) ? 1 : 0) | (this.phases.tracking && PHASE_CALLS.has(call.name) ? 2 : 0);
      this.needsObjects[type] = n;
    }
    return (n & 2) !== 0 || ((n & 1) !== 0 && ret !== null && appliesTo(SCAP_EVENTS[type]!.name, ret));
  }

  /**
   * The parameters of the call as objects, in RowJoiner's order (enter's not in the exit, exit's),
   * leaving out the ones neither the fd table nor the phase tracker looks up.
   */
  private objects(enter: ScapEvent | null, exit: ScapEvent | null): DecodedParam[] {
    const all: DecodedParam[] = [];
    const exitN = exit === null ? 0 : exit.nparams;
    if (enter !== null) {
      const over = OVERRIDDEN[enter.type]!;
      const desc = DESC[enter.type]!;
      for (let j = 0; j < enter.nparams; j++)
        if (over[j]! >= exitN && desc[j]!.lookedUp) all.push(decodeParamLazily(enter, j, desc[j]!.info));
    }
    if (exit !== null) {
      const desc = DESC[exit.type]!;
      for (let i = 1; i < exitN; i++)
        if (desc[i]!.lookedUp) all.push(decodeParamLazily(exit, i, desc[i]!.info));
    }
    return all;
  }

  /** Appends ` name=text` of parameter `i` to args_raw's bytes; returns its integer value, if any. */
  private writeText(ev: ScapEvent, i: number, d: ParamDesc): number | bigint | null {
    const t = this.text;
    t.key(d.nameEq);
    const len = ev.len[i]!;
    const kind = d.kind;
    if (len === 0) {
      // sysdig prints an empty buffer or string as nothing and any other missing value as NULL
      if (kind !== KIND.bytes && kind !== KIND.string) t.ascii(NULL_TEXT);
      return null;
    }
    if (kind === KIND.int || kind === KIND.flags) {
      const v = paramInt(ev, i, d.signed);
      if (v === null) t.ascii(UNKNOWN_TEXT);
      else writeInt(t, d.info, kind, d.form, v);
      return v;
    }
    const s = ev.start[i]!;
    if (kind === KIND.string) {
      let e = s + len;
      if (ev.buf[e - 1] === 0) e--;
      writeString(t, ev.buf, s, e);
    } else writeOther(t, kind, ev.buf, s, len);
    return null;
  }

  /** One argument of a row (RowJoiner.emit's loop body): its text, path, family and kernel value. */
  private arg(
    b: EventBatch,
    row: number,
    ev: ScapEvent,
    i: number,
    call: KernelCall,
    generic: boolean,
  ): void {
    const type = ev.type;
    const d = DESC[type]![i]!;
    let v = this.writeText(ev, i, d);
    if (generic) return;
    const len = ev.len[i]!;
    if (len === 0) return;
    const kind = d.kind;
    if (kind === KIND.string) {
      if (d.isPath && this.paths < 2) {
        const s = ev.start[i]!;
        let e = s + len;
        if (ev.buf[e - 1] === 0) e--;
        (this.paths++ === 0 ? b.path : b.path2).setString(row, ev.buf.toString("utf8", s, e));
      }
      return;
    }
    if (kind === KIND.sockaddr || kind === KIND.socktuple) {
      if (this.family < 0) this.family = ev.buf[ev.start[i]!]!;
      return;
    }
    if (v === null) return; // not an integer (or not one of 1, 2, 4, 8 bytes)
    const info = d.info;
    let idxs = this.argIdx[type];
    if (idxs === undefined)
      this.argIdx[type] = idxs = new Int8Array(SCAP_EVENTS[type]!.params.length).fill(-2);
    let idx = idxs[i]!;
    if (idx === -2) idxs[i] = idx = kernelArgIndex(call.name, info.name, this.opts.arch);
    if (kind === KIND.flags && typeof v === "number") {
      const kv = ppmToKernel(info.info!, v);
      if (kv.unknown.length > 0) (this.unknown ??= []).push(...kv.unknown);
      v = kv.value;
    } else if (typeof v === "number" && d.fdOrPid && v >= 2 ** 31 && v < 2 ** 32) {
      v -= 2 ** 32; // an int fd stored zero-extended by old drivers (sysdig prints 4294967295 for -1)
    }
    if (d.isFd && idx >= 0 && typeof v === "number" && (this.fdArg < 0 || idx < this.fdArg)) {
      this.fdArg = idx;
      this.fdVal = v;
      this.fdDir = d.dirfd;
    }
    if (idx >= 0 && v !== null && (this.setArgs & (1 << idx)) === 0) {
      this.setArgs |= 1 << idx;
      b.args[idx]!.set(row, v);
    }
  }

  private emit(
    tid: number,
    enter: Open | null,
    exit: ScapEvent | null,
    exitNum: number,
    exitCall: KernelCall | null,
  ): void {
    const th = this.threads.get(tid);
    const target = this.split === null ? null : this.split.route(th?.containerId ?? null);
    const b = target === null ? this.batch : target.batch;
    const row = b.length;
    const first = enter !== null ? enter.ev : exit!;
    const call = enter !== null ? enter.call : exitCall!;
    const info = SCAP_EVENTS[first.type]!;
    const name = call.name;
    b.capture.push(this.opts.capture);
    b.format.push(this.opts.format);
    b.ts_ns.pushHiLo(first.tsHi, first.tsLo);
    b.pid.push(th?.pid ?? tid);
    b.tid.push(tid);
    if (th?.comm) b.comm.push(th.comm);
    else b.comm.pushNull();
    if (th?.containerId) b.container_id.set(row, th.containerId);
    b.syscall.push(name);
    if (call.nr === null) b.nr.pushNull();
    else b.nr.push(call.nr);
    b.arch.push(this.opts.arch);
    // arguments: enter first, exit overrides by name; the exit's first parameter is the return value
    const generic = IS_GENERIC[first.type] === 1;
    this.text.at = 0;
    this.paths = 0;
    this.family = -1;
    this.setArgs = 0;
    this.fdArg = -1;
    this.fdVal = 0;
    this.fdDir = false;
    this.unknown = null;
    const exitN = exit === null ? 0 : exit.nparams;
    if (enter !== null) {
      const e = enter.ev;
      const over = OVERRIDDEN[e.type]!;
      for (let j = 0; j < e.nparams; j++) if (over[j]! >= exitN) this.arg(b, row, e, j, call, generic);
    }
    for (let i = 1; i < exitN; i++) this.arg(b, row, exit!, i, call, generic);
    let rv: number | bigint | null = null;
    if (exitN > 0) rv = this.writeText(exit!, 0, DESC[exit!.type]![0]!);
    b.args_raw.pushBytes(this.text.buf, 0, this.text.at);
    if (this.family >= 0) b.sa_family.set(row, this.family);
    if (this.unknown !== null) b.unknown_syms.setString(row, [...new Set(this.unknown)].join("|"));
    if (rv === null || generic) b.ret.pushNull();
    else b.ret.push(rv);
    if (
      typeof rv === "number" &&
      rv < 0 &&
      rv >= -4095 &&
      RET_TYPES.has(SCAP_EVENTS[exit!.type]!.params[0]!.type)
    ) {
      b.errno.set(row, -rv);
      const en = ERRNO_NAMES.get(-rv);
      if (en) b.errno_name.set(row, en);
    }
    const ret = typeof rv === "number" ? rv : null;
    const all = !generic && this.needs(first.type, call, ret) ? this.objects(enter?.ev ?? null, exit) : NONE;
    b.phase.push(this.phases.row(tid, name, all, ret));
    if (!generic) {
      // the descriptor as it was when the call started (not for EBADF: then it was not open)
      if (this.fdArg >= 0 && rv !== -9) {
        const d = this.fds.find(tid, this.fdVal, this.fdDir);
        if (d !== null) {
          b.fd_path.setString(row, d.text);
          if (d.deleted) b.fd_deleted.set(row);
        }
      }
      const made = this.fds.apply(tid, info.name, all, ret);
      const d = made >= 0 ? this.fds.find(tid, made, false) : null;
      if (d !== null) b.ret_path.setString(row, d.text);
    }
    if (enter !== null && exit !== null)
      b.duration_ns.push((exit.tsHi - first.tsHi) * 4294967296 + (exit.tsLo - first.tsLo));
    else b.duration_ns.pushNull();
    if (exit === null) b.unfinished.set(row);
    b.seq.push(enter !== null ? enter.num : exitNum);
    this.events++;
    if (target !== null) {
      const c = target.counts;
      c.events++;
      c.eventLines += (enter !== null ? 1 : 0) + (exit !== null ? 1 : 0);
      if (exit === null) c.unfinishedNeverResumed++; // every exit-less row was counted as never resumed
    }
  }
}
