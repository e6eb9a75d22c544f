/**
 * The strace parser: turns the lines of one piece of a capture into events (unfinished and resumed
 * halves joined per task), rejects with reasons, and counted skips. Every line read ends up in
 * exactly one of: an event, a reject, a skip.
 */
import { lookupSymbol, syscallName, syscallNumber } from "../../schemas/consts.ts";
import { UNNAMED_SYSCALL } from "../../schemas/events.ts";
import type { EventBatch } from "../columns/event-batch.ts";
import { stateAt, type TaskChange, type Timeline } from "../phase/timeline.ts";
import { ByteStrings, hasHighByte, latin1 } from "./bytes.ts";
import { parseCallLine } from "./call-line.ts";
import { decodeArgs } from "./decode-args.ts";
import { decodeArgsBytes } from "./decode-args-bytes.ts";
import { newLineInfo, parseLine, type LineInfo, type LineKind } from "./line.ts";
import { LoneTracee } from "./lone-tracee.ts";
import { RecentWrites } from "./recent-writes.ts";
import { newRetInfo, parseRet, type RetInfo } from "./ret.ts";
import { newRetBytes, parseRetBytes, type RetBytes } from "./ret-bytes.ts";
import { fromLatin1, isValidUtf8Latin1 } from "./unescape.ts";

/** A line that did not become an event. */
export interface Reject {
  line: number;
  reason: string;
  raw: string;
}

/** Skip counters by line kind; `program-output` counts the traced program's lines found inside a cut call. */
export type SkipCounts = Partial<Record<LineKind | "program-output", number>>;

/** Reasons, as named constants so tests and users can match them. */
export const REASON = {
  notStrace: "not strace output",
  noReturn: "call line without ` = RET` (cut or spliced line)",
  truncatedLast: "truncated last line (no newline at end of file)",
  orphanResumed: "resumed call without its <unfinished ...> start",
  invalidUtf8: "invalid UTF-8",
  badReturn: "unparseable return value",
  unknownName: "unknown syscall name (not in the task's architecture's table, nor syscall_0x<hex>)",
} as const;

/** strace's name for a call it has no name for: a valid number in hex (x32 and future calls). */
const HEX_NAME = /^syscall_0x[0-9a-f]{1,16}$/;

/** strace's own attach message cut into a call line (stderr output): the call goes on later. */
const ATTACH_CUT = "strace: Process ";

/** Program lines awaited after a cut call line before it is given up as cut for good. */
const MAX_SPLICED_LINES = 64;

/** Options fixed for one piece. */
export interface ParseOptions {
  capture: string;
  /** task of an `-ff` file, or -1. */
  fileTid: number;
  firstLine: number;
  /** pid of the task of unprefixed lines in `strace -f` output without `-o`, when the scan found it. */
  lonePid?: number;
  /** day offset (in days) in force at the first line, for `-t`/`-tt`. */
  startDay: number;
  /** state of tasks that have no timeline. */
  defaultState: TaskChange;
  timelines: ReadonlyMap<number, Timeline>;
  /** the piece ends at end of file (so a missing final newline means truncation). */
  atEof: boolean;
  /**
   * Read every line as a string through `pushLine`, not complete calls as bytes: the reference
   * the byte path is tested against (test/strace/byte-path.test.ts). Slower.
   */
  stringsOnly?: boolean;
}

interface Pending {
  name: string;
  line: number;
  args: string;
  tsSec: number;
  tsNsec: number;
  tsNs: number; // entry time in ns (day-adjusted), NaN without one, -1 for epoch (use tsSec/tsNsec)
  nr: number;
  raw: string;
}

const TWELVE_HOURS_NS = 12 * 3600 * 1e9;
const DAY_NS = 24 * 3600 * 1e9;

/** Parses pieces line by line into an EventBatch. */
export class StraceParser {
  readonly rejects: Reject[] = [];
  readonly skips: SkipCounts = {};
  eventLines = 0;
  events = 0;
  unfinishedNeverResumed = 0;
  /** calls rejoined after program output (or strace's attach message) cut their line. */
  splicedCalls = 0;
  /** calls strace printed as `???` with no number: kept as UNNAMED_SYSCALL. */
  unnamedCalls = 0;
  /** a call line without its return, waiting for its continuation after program output. */
  private cut: (Pending & { tid: number; attach: boolean }) | null = null;
  /** the program's lines seen since the cut (line number, text). */
  private readonly between: { line: number; raw: string }[] = [];
  /** what the traced program wrote to stdout/stderr lately (its echo may land on a line of its own). */
  private readonly written = new RecentWrites();
  private readonly info = newLineInfo();
  private readonly ret = newRetInfo();
  private readonly retBytes: RetBytes = newRetBytes();
  /** errno names by their bytes. */
  private readonly errnoNames = new ByteStrings(5);
  /** per syscall name: its number per arch (the key is the interned name). */
  private readonly numbers = new Map<string, Map<string, number>>();
  private readonly open = new Map<number, Pending>();
  /** the bytes behind the text being parsed (args_raw is copied from them), and the line's offset. */
  private src: Buffer | null = null;
  private lineOffset = -1;
  /** per syscall name and arch: its number and argument specs, looked up once. */
  private readonly sysInfo = new Map<string, number>();
  private readonly tasks: LoneTracee;
  private day: number;
  private lastTodNs = -1;
  private relNs = 0;
  private lastStateTid = -2;
  private lastStateTl: Timeline | undefined;

  constructor(
    private readonly opts: ParseOptions,
    private readonly batch: EventBatch,
  ) {
    this.tasks = new LoneTracee(opts.fileTid >= 0 ? opts.fileTid : (opts.lonePid ?? 0));
    this.day = opts.startDay;
  }

  /**
   * Parses whole lines of `text` (latin1), or of `src` when given (the bytes `text` was decoded
   * from). `hasHighBytes` asks for UTF-8 validation. Complete call lines are read as bytes
   * (`parseCallBytes`); every other line goes through `pushLine` as a string.
   */
  parseText(text: string, hasHighBytes: boolean, src?: Buffer): number {
    return this.parseBytes(src ?? Buffer.from(text, "latin1"), hasHighBytes);
  }

  /** Parses whole lines of `buf`; `hasHighBytes` (a byte ≥ 0x80 occurs) asks for UTF-8 validation. */
  parseBytes(buf: Buffer, hasHighBytes: boolean): number {
    this.src = buf;
    let lineNo = this.opts.firstLine;
    let p = 0;
    const n = buf.length;
    const stringsOnly = this.opts.stringsOnly === true;
    while (p < n) {
      let e = buf.indexOf(10, p);
      const complete = e >= 0;
      if (!complete) e = n;
      this.lineOffset = p;
      const truncated = !complete && this.opts.atEof && e > p;
      if (truncated || stringsOnly || !this.parseCallBytes(buf, p, e, lineNo, hasHighBytes)) {
        this.pushLine(latin1(buf, p, e), lineNo, hasHighBytes, truncated);
      }
      lineNo++;
      p = e + 1;
    }
    return lineNo - this.opts.firstLine;
  }

  /**
   * The line in bytes [p, e) when it is a complete call (the common line): does what `pushLine`
   * does for it, without a string per line. Returns false, having changed nothing, for any other
   * line and while a cut call waits for its continuation.
   */
  private parseCallBytes(buf: Buffer, p: number, e: number, lineNo: number, checkUtf8: boolean): boolean {
    if (this.cut !== null || (checkUtf8 && hasHighByte(buf, p, e))) return false;
    const info = this.info;
    if (!parseCallLine(buf, p, e, info)) return false;
    // an unknown name is rejected by pushLine (the task the line would have, looked up without effect)
    if (!this.knownName(info.name, info.pid < 0 ? this.tasks.current : info.pid, lineNo)) return false;
    const ret = this.retBytes;
    if (!parseRetBytes(buf, p, info.argsStart, e, ret)) return false;
    const tid = this.tasks.line(info.pid, "call", info.name);
    const tsNs = this.timestamp(info);
    const shared = this.opts.fileTid < 0 && (info.pid < 0 || info.bracketPrefix);
    if (shared && info.name === "write") this.written.see(latin1(buf, p, e), info.argsStart - p);
    this.eventLines++;
    this.emitBytes(tid, info, lineNo, tsNs, ret, buf);
    return true;
  }

  private reject(line: number, reason: string, raw: string): void {
    this.rejects.push({ line, reason, raw: fromLatin1(raw) });
  }

  private skip(kind: keyof SkipCounts): void {
    this.skips[kind] = (this.skips[kind] ?? 0) + 1;
  }

  /** Handles one line (without its newline). */
  pushLine(line: string, lineNo: number, checkUtf8: boolean, truncated: boolean): void {
    if (checkUtf8 && !isValidUtf8Latin1(line)) {
      this.reject(lineNo, REASON.invalidUtf8, Buffer.from(line, "latin1").toString("utf8"));
      return;
    }
    const info = this.info;
    const kind = parseLine(line, info);
    if (this.cut !== null) {
      if (kind === "other" && this.continueCut(line, lineNo)) return;
      if (kind !== "other" && kind !== "blank") this.endCut();
    }
    const lineTid = this.tasks.line(info.pid, kind, info.name);
    switch (kind) {
      case "call":
      case "unfinished":
      case "resumed":
      case "resumed-unfinished":
        break;
      case "other":
        if (!truncated && this.written.isEcho(line)) this.skip("program-output");
        else this.reject(lineNo, truncated ? REASON.truncatedLast : REASON.notStrace, line);
        return;
      case "attach":
        this.tasks.attached(info.aux);
        this.skip(kind);
        return;
      case "superseded": {
        // execve by a non-leader thread: the call completes under the leader's pid
        const tid = lineTid;
        const p = this.open.get(info.aux);
        if (p) {
          this.open.delete(info.aux);
          this.flushOpen(tid);
          this.open.set(tid, p);
        }
        this.skip(kind);
        return;
      }
      default:
        // -r deltas and -tt roll-overs count every printed line, signals and exits included
        if (info.tsStyle !== "none") this.timestamp(info);
        if (kind === "exit") this.tasks.exited(lineTid);
        this.skip(kind);
        return;
    }
    const tid = lineTid;
    if ((kind === "call" || kind === "unfinished") && !this.knownName(info.name, tid, lineNo)) {
      // a name that no table knows would become a profile rule nobody can load: never an event
      if (info.tsStyle !== "none") this.timestamp(info);
      this.reject(lineNo, REASON.unknownName, line);
      return;
    }
    const tsNs = this.timestamp(info);
    // only a stream strace shares with the program (no -o) can hold the program's echo
    const shared = this.opts.fileTid < 0 && (info.pid < 0 || info.bracketPrefix);
    if (shared && info.name === "write" && (kind === "call" || kind === "unfinished")) {
      this.written.see(line, info.argsStart);
    }
    if (kind === "unfinished") {
      this.flushOpen(tid);
      const end = line.lastIndexOf("<unfinished ...>");
      this.open.set(tid, {
        name: info.name,
        line: lineNo,
        args: unfinishedArgs(line.slice(info.argsStart, end)),
        tsSec: info.tsSec,
        tsNsec: info.tsNsec,
        tsNs,
        nr: info.nr,
        raw: line,
      });
      this.eventLines++;
      return;
    }
    const ret = this.ret;
    let argsFrom = info.argsStart;
    if (kind === "resumed-unfinished") argsFrom = line.indexOf("<unfinished ...>", argsFrom) + 16;
    if (!parseRet(line, argsFrom, ret)) {
      if (kind === "call" && !truncated && this.startCut(line, lineNo, tid, tsNs)) return;
      this.reject(lineNo, truncated ? REASON.truncatedLast : REASON.noReturn, line);
      return;
    }
    if (kind === "call") {
      this.eventLines++;
      const t: Ts = { ns: tsNs, sec: info.tsSec, nsec: info.tsNsec };
      this.emit(
        tid,
        info.name,
        lineNo,
        t,
        info.nr,
        line,
        info.argsStart,
        ret.argsEnd,
        line,
        ret,
        false,
        false,
        null,
      );
      return;
    }
    const p = this.open.get(tid);
    if (!p || p.name !== info.name) {
      this.reject(lineNo, REASON.orphanResumed, line);
      return;
    }
    this.open.delete(tid);
    this.eventLines++;
    const cont = kind === "resumed-unfinished" ? "" : line.slice(info.argsStart, ret.argsEnd);
    const args = p.args + cont;
    const entry: Ts = { ns: p.tsNs, sec: p.tsSec, nsec: p.tsNsec };
    const exit: Ts = { ns: tsNs, sec: info.tsSec, nsec: info.tsNsec };
    this.emit(tid, p.name, p.line, entry, p.nr, args, 0, args.length, line, ret, true, false, exit);
  }

  /**
   * A call line without ` = RET`. When strace shares its stream with the traced program (stderr
   * output, no `-o`), the program's text lands inside the line and strace goes on with the rest
   * (`) = 36`, or ` <unfinished ...>`) on a later line; strace's own attach message does the same
   * to clone lines. Returns true when the line was taken as such a cut (decided later).
   */
  private startCut(line: string, lineNo: number, tid: number, tsNs: number): boolean {
    const info = this.info;
    if (info.pid >= 0 && !info.bracketPrefix) return false; // -o files are strace's alone
    const pending: Pending = {
      name: info.name,
      line: lineNo,
      args: "",
      tsSec: info.tsSec,
      tsNsec: info.tsNsec,
      tsNs,
      nr: info.nr,
      raw: line,
    };
    const attach = line.indexOf(ATTACH_CUT, info.argsStart);
    if (attach > 0) this.tasks.attached(parseInt(line.slice(attach + ATTACH_CUT.length), 10));
    this.giveUpCut();
    this.cut = {
      ...pending,
      args: line.slice(info.argsStart, attach > 0 ? attach : line.length),
      tid,
      attach: attach > 0,
    };
    return true;
  }

  /** A line that is not strace's while a cut is pending: its continuation, or program output. */
  private continueCut(line: string, lineNo: number): boolean {
    const cut = this.cut!;
    const ret = this.ret;
    if (/^\s*<unfinished \.\.\.>$/.test(line)) {
      this.cut = null;
      this.flushOpen(cut.tid);
      this.open.set(cut.tid, { ...cut, args: unfinishedArgs(cut.args) });
      this.joinCut(2);
      return true;
    }
    if (parseRet(line, 0, ret) && !/^\s*[A-Za-z_][A-Za-z0-9_]*\(/.test(line)) {
      this.cut = null;
      const args = cut.args + line.slice(0, ret.argsEnd);
      const entry: Ts = { ns: cut.tsNs, sec: cut.tsSec, nsec: cut.tsNsec };
      this.joinCut(2);
      this.emit(
        cut.tid,
        cut.name,
        cut.line,
        entry,
        cut.nr,
        args,
        0,
        args.length,
        line,
        ret,
        false,
        false,
        null,
      );
      return true;
    }
    if (this.between.length >= MAX_SPLICED_LINES || (this.between.length > 0 && !this.written.isEcho(line))) {
      this.giveUpCut();
      return false;
    }
    this.between.push({ line: lineNo, raw: line });
    return true;
  }

  /** Accounts a rejoined call: its `lines` lines and the program's lines between them. */
  private joinCut(lines: number): void {
    this.eventLines += lines;
    this.splicedCalls++;
    if (this.between.length > 0) {
      this.skips["program-output"] = (this.skips["program-output"] ?? 0) + this.between.length;
    }
    this.between.length = 0;
  }

  /**
   * A strace line came before any continuation. After its own attach message strace knows the
   * line was broken and ends the call as `<... NAME resumed>`: the cut is an unfinished call. A
   * line cut by program output would have been ended with ` <unfinished ...>`: it is a reject.
   */
  private endCut(): void {
    const cut = this.cut;
    if (cut === null || !cut.attach || this.between.length > 0) return this.giveUpCut();
    this.cut = null;
    this.flushOpen(cut.tid);
    this.open.set(cut.tid, { ...cut, args: unfinishedArgs(cut.args) });
    this.joinCut(1);
  }

  /** No continuation came: the cut line and the lines after it are rejects as before. */
  private giveUpCut(): void {
    const cut = this.cut;
    if (cut === null) return;
    this.cut = null;
    this.reject(cut.line, REASON.noReturn, cut.raw);
    for (const b of this.between) this.reject(b.line, REASON.notStrace, b.raw);
    this.between.length = 0;
  }

  /** Entry timestamp in ns (NaN when the line has none), with `-tt` day roll-over and `-r` sums. */
  private timestamp(info: LineInfo): number {
    switch (info.tsStyle) {
      case "none":
        return NaN;
      case "tod": {
        const tod = info.tsSec * 1e9 + info.tsNsec;
        if (this.lastTodNs >= 0 && tod < this.lastTodNs - TWELVE_HOURS_NS) this.day++;
        this.lastTodNs = tod;
        return this.day * DAY_NS + tod;
      }
      case "relative":
        this.relNs += info.tsSec * 1e9 + info.tsNsec;
        return this.relNs;
      case "epoch":
        // exact ns exceed 2^53: kept as seconds + ns and combined exactly when written
        return -1;
    }
  }

  private taskState(tid: number, pos: number): TaskChange {
    if (tid !== this.lastStateTid) {
      this.lastStateTid = tid;
      this.lastStateTl = this.opts.timelines.get(tid);
    }
    const tl = this.lastStateTl;
    if (!tl) return this.opts.defaultState;
    if (tl.changes.length === 1) return tl.changes[0]!;
    return stateAt(tl, pos);
  }

  private emit(
    tid: number,
    name: string,
    line: number,
    ts: Ts,
    nrField: number,
    s: string,
    a: number,
    b: number,
    retLine: string,
    ret: RetInfo,
    resumed: boolean,
    unfinished: boolean,
    exit: Ts | null,
  ): void {
    const batch = this.batch;
    const st = this.taskState(tid, line);
    const tl = this.lastStateTl;
    const row = batch.seq.length;
    batch.capture.push(this.opts.capture);
    batch.format.push("strace");
    batch.seq.push(line);
    pushTs(batch, ts);
    batch.pid.push(tl ? tl.pid : tid);
    batch.tid.push(tid);
    if (st.comm === null) batch.comm.pushNull();
    else batch.comm.push(st.comm);
    batch.phase.push(st.phase);
    if (name === "???") name = this.nameOf(nrField, st.arch);
    batch.syscall.push(name);
    let nr = nrField;
    if (nr < 0) {
      const key = st.arch === "x86_64" ? name : `${st.arch}:${name}`;
      const known = this.sysInfo.get(key);
      if (known !== undefined) nr = known;
      else {
        nr = syscallNumber(st.arch, name) ?? (name.startsWith("syscall_0x") ? numberOf(name.slice(10)) : -1);
        this.sysInfo.set(key, nr);
      }
    }
    if (nr < 0) batch.nr.pushNull();
    else batch.nr.push(nr);
    batch.arch.push(st.arch);
    if (s === retLine && this.src !== null) {
      batch.args_raw.pushBytes(this.src, this.lineOffset + a, this.lineOffset + b);
    } else {
      batch.args_raw.pushLatin1(a === 0 && b === s.length ? s : s.slice(a, b));
    }
    const fromLine = s === retLine && this.src !== null;
    decodeArgs(name, s, a, b, batch, row, st.arch, fromLine ? this.src : null, this.lineOffset);
    if (unfinished || !ret.hasValue) batch.ret.pushNull();
    else batch.ret.push(ret.big ?? ret.value);
    if (!unfinished && ret.decoStart >= 0) {
      batch.ret_path.setLatin1(row, retLine.slice(ret.decoStart, ret.decoEnd));
    }
    const errName = unfinished ? "" : ret.errno;
    if (errName) {
      const e = lookupSymbol(errName, "errno");
      if (e !== undefined) batch.errno.set(row, e);
      batch.errno_name.set(row, errName);
    }
    let dur = unfinished ? -1 : ret.durationNs;
    if (dur < 0 && resumed && exit !== null) dur = elapsed(ts, exit);
    if (dur < 0) batch.duration_ns.pushNull();
    else batch.duration_ns.push(dur);
    if (unfinished) batch.unfinished.set(row);
    if (resumed) batch.resumed.set(row);
    this.events++;
  }

  /** `emit` for a complete call line read as bytes (parseCallBytes): the same columns. */
  private emitBytes(
    tid: number,
    info: LineInfo,
    line: number,
    tsNs: number,
    ret: RetBytes,
    buf: Buffer,
  ): void {
    const batch = this.batch;
    const st = this.taskState(tid, line);
    const tl = this.lastStateTl;
    const row = batch.seq.length;
    batch.capture.push(this.opts.capture);
    batch.format.push("strace");
    batch.seq.push(line);
    if (Number.isNaN(tsNs)) batch.ts_ns.pushNull();
    else if (tsNs < 0) batch.ts_ns.pushSecNs(info.tsSec, info.tsNsec);
    else batch.ts_ns.push(tsNs);
    batch.pid.push(tl ? tl.pid : tid);
    batch.tid.push(tid);
    if (st.comm === null) batch.comm.pushNull();
    else batch.comm.push(st.comm);
    batch.phase.push(st.phase);
    const name = info.name;
    batch.syscall.push(name);
    const nr = this.numberOf(name, st.arch);
    if (nr < 0) batch.nr.pushNull();
    else batch.nr.push(nr);
    batch.arch.push(st.arch);
    batch.args_raw.pushBytes(buf, info.argsStart, ret.argsEnd);
    decodeArgsBytes(name, buf, info.argsStart, ret.argsEnd, batch, row, st.arch);
    if (!ret.hasValue) batch.ret.pushNull();
    else batch.ret.push(ret.big ?? ret.value);
    if (ret.decoStart >= 0) batch.ret_path.setBytes(row, buf, ret.decoStart, ret.decoEnd);
    if (ret.errStart >= 0) {
      const errName = this.errnoNames.get(buf, ret.errStart, ret.errEnd);
      const e = lookupSymbol(errName, "errno");
      if (e !== undefined) batch.errno.set(row, e);
      batch.errno_name.set(row, errName);
    }
    if (ret.durationNs < 0) batch.duration_ns.pushNull();
    else batch.duration_ns.push(ret.durationNs);
    this.events++;
  }

  /** Whether `name` may be an event's name for task `tid` at `line` (`???` is named at emit). */
  private knownName(name: string, tid: number, line: number): boolean {
    if (name === "???") return true;
    if (name.startsWith("syscall_0x")) return HEX_NAME.test(name);
    return this.numberOf(name, this.taskState(tid, line).arch) >= 0;
  }

  /** The syscall number of `name` (no `-n` field) for `arch`, or -1; looked up once per pair. */
  private numberOf(name: string, arch: string): number {
    let byArch = this.numbers.get(name);
    if (byArch === undefined) this.numbers.set(name, (byArch = new Map()));
    let nr = byArch.get(arch);
    if (nr === undefined) {
      nr = syscallNumber(arch, name) ?? (name.startsWith("syscall_0x") ? numberOf(name.slice(10)) : -1);
      byArch.set(arch, nr);
    }
    return nr;
  }

  /** The name strace could not print, from the `-n` number and the task's personality. */
  private nameOf(nr: number, arch: string): string {
    if (nr >= 0) return syscallName(arch, nr) ?? `syscall_0x${nr.toString(16)}`;
    this.unnamedCalls++;
    return UNNAMED_SYSCALL;
  }

  private flushOpen(tid: number): void {
    const p = this.open.get(tid);
    if (!p) return;
    this.open.delete(tid);
    this.unfinishedNeverResumed++;
    const ret = this.ret;
    ret.hasValue = false;
    ret.errno = "";
    ret.decoStart = -1;
    ret.durationNs = -1;
    const entry: Ts = { ns: p.tsNs, sec: p.tsSec, nsec: p.tsNsec };
    this.emit(tid, p.name, p.line, entry, p.nr, p.args, 0, p.args.length, p.raw, ret, false, true, null);
  }

  /** Emits calls still open at the end as unfinished (never resumed). */
  finish(): void {
    this.endCut();
    for (const tid of [...this.open.keys()].sort((x, y) => x - y)) this.flushOpen(tid);
  }
}

/** An entry or exit time: `ns` is NaN without a timestamp and -1 for epoch time (use sec + nsec). */
interface Ts {
  ns: number;
  sec: number;
  nsec: number;
}

function pushTs(batch: EventBatch, t: Ts): void {
  if (Number.isNaN(t.ns)) batch.ts_ns.pushNull();
  else if (t.ns < 0) batch.ts_ns.pushSecNs(t.sec, t.nsec);
  else batch.ts_ns.push(t.ns);
}

function elapsed(a: Ts, b: Ts): number {
  if (Number.isNaN(a.ns) || Number.isNaN(b.ns)) return -1;
  if (a.ns < 0 || b.ns < 0) return (b.sec - a.sec) * 1e9 + (b.nsec - a.nsec);
  return b.ns - a.ns;
}

/** The number of a `syscall_0x…` name, or -1 when it does not fit the `nr` column (e.g. -1 as u64). */
function numberOf(hex: string): number {
  const n = parseInt(hex, 16);
  return n <= 0x7fffffff ? n : -1;
}

/** The argument text of an `<unfinished ...>` half, ready to be joined with its resumed half. */
function unfinishedArgs(t: string): string {
  const u = t.replace(/ +$/, "");
  return u.endsWith(",") ? u + " " : u;
}
