/**
 * The scan pass over one piece of a strace capture: counts lines and collects task markers
 * (spawns, filter loads, execs, renames, 32-bit mode) and the facts needed to parse the piece
 * independently (time of day at its ends, whether calls are split across lines).
 */
import { commOf, type Marker } from "../phase/markers.ts";
import { newLineInfo, parseLine } from "./line.ts";
import { newRetInfo, parseRet } from "./ret.ts";
import { LoneTracee } from "./lone-tracee.ts";
import { TaskStarts, type TaskStart } from "./task-starts.ts";
import { flagsField, scalarArg } from "./marker-args.ts";
import { splitArgs } from "./split-args.ts";
import { unescapeString } from "./unescape.ts";
import { latin1 } from "./bytes.ts";

/** What the scan of one piece found. */
export interface ScanResult {
  lines: number;
  markers: Marker[];
  /** first appearance of each task of a single-file capture (empty for `-ff` files). */
  starts: TaskStart[];
  /** pid of the task of unprefixed lines (`strace -f` without `-o`), or -1 when unknown. */
  lonePid: number;
  /** time (ns; time of day for -t/-tt, epoch otherwise) of the first line, or -1. */
  firstTsNs: number;
  /** first and last time of day (ns) for `-t`/`-tt` captures, else -1. */
  firstTodNs: number;
  lastTodNs: number;
  /** lines with `[pid N]` prefixes or `<unfinished ...>`: the piece cannot be split further. */
  sequentialOnly: boolean;
}

const CANDIDATE =
  /clone3?\(|fork\(|execve(?:at)?\(|seccomp\(|prctl\(|Process PID=|mmap2\(|_llseek\(|unfinished \.\.\.>|^\[pid |resumed>|mount\(|umount2\(|pivot_root\(|sethostname\(|setdomainname\(|setns\(|unshare\(|keyctl\(|chroot\(|strace: Process/gm;
const I386_ONLY = new Set(["mmap2", "_llseek", "fstat64", "stat64", "lstat64", "fcntl64", "socketcall"]);
const SPAWN = new Set(["clone", "clone3", "fork", "vfork"]);
/** What runc does to build the container before its filter is loaded (never after it). */
const SETUP = new Set([
  "mount",
  "umount2",
  "pivot_root",
  "sethostname",
  "setdomainname",
  "setns",
  "unshare",
  "keyctl",
  "chroot",
]);
const CLONE_THREAD = 0x10000;
const PR_SET_NAME = 15;
const PR_SET_SECCOMP = 22;
const SECCOMP_MODE_FILTER = 2;
const SECCOMP_SET_MODE_FILTER = 1;
/** A line that starts a call of its own (so it is no continuation). */
const CALL_START = /^\s*[A-Za-z_][A-Za-z0-9_]*\(/;
const peek = newLineInfo();

/** The line after the newline at `end` (empty at the end of the text). */
function nextLine(text: string, end: number): string {
  if (end >= text.length) return "";
  const e = text.indexOf("\n", end + 1);
  return text.slice(end + 1, e < 0 ? text.length : e);
}

/** strace's own message cut into a call line (stderr output): the call goes on on a later line. */
const ATTACH_CUT = "strace: Process ";

/**
 * Scans `text` (latin1, whole lines) whose first line is number `firstLine`. `fileTid` is the task
 * of an `-ff` file, or -1 when lines carry their own pid.
 */
export function scanText(text: string, firstLine: number, fileTid: number): ScanResult {
  const s = new PieceScan(firstLine, fileTid);
  s.window(text, text.length);
  return s.result({
    length: text.length,
    lastIsNewline: text.length > 0 && text.charCodeAt(text.length - 1) === 10,
    line: (at) => lineOf(text, at),
    lastLineStart: lastLineOffset(text),
  });
}

/** Bytes of text a piece's scan decodes at a time (whole lines; a longer line is one window). */
export const SCAN_WINDOW = 64 * 1024;

/**
 * scanText on the bytes of a piece, decoded as latin1 a window of whole lines at a time: the same
 * result without a string of the whole piece. A 2 MiB piece's text is a malloc'd external string
 * that glibc maps and unmaps each time under ingest's MALLOC_TRIM_THRESHOLD_; 64 KiB windows are
 * young-generation strings (measured: 53 vs 8 ms of decoding per 64 MiB).
 */
export function scanBytes(
  bytes: Buffer,
  firstLine: number,
  fileTid: number,
  window = SCAN_WINDOW,
): ScanResult {
  const s = new PieceScan(firstLine, fileTid);
  const n = bytes.length;
  for (let a = 0; a < n;) {
    const b = lineEndAfter(bytes, Math.min(a + window, n) - 1, n);
    // the next line rides along: a cut call line looks at it (nextLine)
    const c = b < n ? lineEndAfter(bytes, b, n) : n;
    s.window(latin1(bytes, a, c), b - a);
    a = b;
  }
  return s.result({
    length: n,
    lastIsNewline: n > 0 && bytes[n - 1] === 10,
    line: (at) => {
      const e = at < n ? bytes.indexOf(10, at) : -1;
      return latin1(bytes, at, e < 0 ? n : e);
    },
    lastLineStart: lastLineStartOf(bytes),
  });
}

/** The offset after the first newline at or after `at`, or `n`. */
function lineEndAfter(bytes: Buffer, at: number, n: number): number {
  const i = at < n ? bytes.indexOf(10, at) : -1;
  return i < 0 ? n : i + 1;
}

/** lastLineOffset on bytes. */
function lastLineStartOf(bytes: Buffer): number {
  const n = bytes.length;
  const end = n > 0 && bytes[n - 1] === 10 ? n - 1 : n;
  for (let i = Math.min(Math.max(end - 1, 0), n - 1); i >= 0; i--) if (bytes[i] === 10) return i + 1;
  return 0;
}

/** How the end of a scan reads the piece's first and last lines. */
interface PieceText {
  length: number;
  lastIsNewline: boolean;
  /** the line starting at offset `at`, without its newline. */
  line: (at: number) => string;
  lastLineStart: number;
}

/** The scan of one piece, fed whole lines window by window in order. */
class PieceScan {
  private readonly markers: Marker[] = [];
  private readonly info = newLineInfo();
  private readonly ret = newRetInfo();
  private readonly pendingArgs = new Map<number, string>();
  private readonly i386Seen = new Set<number>();
  private readonly bounds: number[] = [];
  private sequentialOnly = false;
  private lineNo: number;
  private readonly tasks: LoneTracee;
  private readonly starts: TaskStarts | null;
  /** entry time of each task's unfinished call (a spawn's time is when it was entered). */
  private readonly pendingTs = new Map<number, number>();

  constructor(
    private readonly firstLine: number,
    private readonly fileTid: number,
  ) {
    this.lineNo = firstLine;
    this.tasks = new LoneTracee(fileTid);
    this.starts = fileTid < 0 ? new TaskStarts() : null;
  }

  /**
   * The lines that start before `limit` in `text` (which ends with a newline at `limit - 1`, or
   * `limit` is its length); what follows `limit` is the next line, only looked at.
   */
  window(text: string, limit: number): void {
    const { markers, info, ret, pendingArgs, i386Seen, bounds, tasks, starts, pendingTs } = this;
    let lineNo = this.lineNo;
    let counted = 0; // offset up to which newlines were counted
    let lastLineStart = -1;
    starts?.see(text, 0);
    CANDIDATE.lastIndex = 0;
    for (let m = CANDIDATE.exec(text); m !== null && m.index < limit; m = CANDIDATE.exec(text)) {
      const start = text.lastIndexOf("\n", m.index) + 1;
      let end = text.indexOf("\n", m.index);
      if (end < 0) end = text.length;
      CANDIDATE.lastIndex = end;
      if (start === lastLineStart) continue;
      lastLineStart = start;
      for (let p = text.indexOf("\n", counted); p >= 0 && p < start; p = text.indexOf("\n", p + 1)) {
        lineNo++;
        starts?.see(text, p + 1);
      }
      counted = start;
      const line = text.slice(start, end);
      const kind = parseLine(line, info);
      if (info.bracketPrefix || kind === "unfinished" || kind === "resumed") this.sequentialOnly = true;
      if (kind === "attach") {
        tasks.attached(info.aux);
        continue;
      }
      const tid = tasks.line(info.pid, kind, info.name);
      if (kind === "exit") {
        tasks.exited(tid);
        continue;
      }
      const attachAt = line.indexOf(ATTACH_CUT);
      if (attachAt > 0) tasks.attached(parseInt(line.slice(attachAt + ATTACH_CUT.length), 10));
      if (kind === "personality") {
        markers.push({ kind: "arch", tid: info.aux, pos: lineNo, arch: info.nr === 32 ? "i386" : "x86_64" });
        continue;
      }
      if (kind === "unfinished") {
        pendingArgs.set(tid, line.slice(info.argsStart));
        pendingTs.set(tid, timeOf(info));
        continue;
      }
      if (kind !== "call" && kind !== "resumed") continue;
      const name = info.name;
      if (I386_ONLY.has(name) && !i386Seen.has(tid)) {
        i386Seen.add(tid);
        markers.push({ kind: "arch", tid, pos: 0, arch: "i386" });
      }
      if (SETUP.has(name)) markers.push({ kind: "setup", tid, pos: lineNo });
      let args: string;
      if (!parseRet(line, info.argsStart, ret)) {
        if (kind !== "call") continue;
        // a line cut by strace's attach message or the program's output (parser.ts rejoins it)
        const cut = line.indexOf(ATTACH_CUT, info.argsStart);
        const head = line.slice(info.argsStart, cut > 0 ? cut : line.length);
        const next = nextLine(text, end);
        if (parseLine(next, peek) === "other" && parseRet(next, 0, ret) && !CALL_START.test(next)) {
          args = head + next.slice(0, ret.argsEnd);
        } else {
          if (cut > 0 || /^\s*<unfinished \.\.\.>$/.test(next)) pendingArgs.set(tid, head);
          continue;
        }
      } else {
        args =
          kind === "resumed"
            ? (pendingArgs.get(tid) ?? "").replace(/ ?<unfinished \.\.\.>$/, "") +
              line.slice(info.argsStart, ret.argsEnd)
            : line.slice(info.argsStart, ret.argsEnd);
      }
      if (!ret.hasValue) continue;
      const entryTs = kind === "resumed" ? (pendingTs.get(tid) ?? timeOf(info)) : timeOf(info);
      if (kind === "resumed") {
        pendingArgs.delete(tid);
        pendingTs.delete(tid);
      }
      if (SPAWN.has(name)) {
        if (ret.value > 0) {
          const flags = name === "fork" || name === "vfork" ? 0 : flagsField(args);
          const thread = flags === undefined ? args.includes("CLONE_THREAD") : (flags & CLONE_THREAD) !== 0;
          markers.push({ kind: "spawn", tid, pos: lineNo, child: ret.value, thread, ts: entryTs });
        }
      } else if (name === "seccomp") {
        if (ret.value >= 0 && scalarArg(args, 0, "seccomp_op") === SECCOMP_SET_MODE_FILTER) {
          markers.push({ kind: "seccomp", tid, pos: lineNo });
        }
      } else if (name === "prctl" && ret.value === 0) {
        const option = scalarArg(args, 0, "prctl_option");
        if (option === PR_SET_SECCOMP && scalarArg(args, 1) === SECCOMP_MODE_FILTER) {
          markers.push({ kind: "seccomp", tid, pos: lineNo });
        } else if (option === PR_SET_NAME) {
          const q = /"((?:[^"\\]|\\.)*)"/.exec(args);
          if (q) markers.push({ kind: "name", tid, pos: lineNo, comm: unescapeString(q[1]!).slice(0, 15) });
        }
      } else if ((name === "execve" || name === "execveat") && ret.value === 0) {
        splitArgs(args, 0, args.length, bounds);
        const k = name === "execve" ? 0 : 1;
        const a = bounds[2 * k];
        const b = bounds[2 * k + 1];
        if (a !== undefined && b !== undefined && args.charCodeAt(a) === 34) {
          const path = unescapeString(args.slice(a + 1, args.lastIndexOf('"', b - 1)));
          markers.push({ kind: "execve", tid, pos: lineNo, comm: commOf(path) });
        }
      }
    }
    // the lines after the last candidate; the line after the window's last newline is the next
    // window's first (seen there)
    for (let p = text.indexOf("\n", counted); p >= 0 && p < limit; p = text.indexOf("\n", p + 1)) {
      lineNo++;
      if (p + 1 < limit) starts?.see(text, p + 1);
    }
    this.lineNo = lineNo;
  }

  /** The scan's result once every window was fed; `t` reads the piece's first and last lines. */
  result(t: PieceText): ScanResult {
    const { markers, tasks, starts, fileTid, info } = this;
    // lines read before the first task's pid was known were that task's
    const lone = tasks.firstPid;
    if (lone > 0 && fileTid < 0) {
      for (let i = 0; i < markers.length; i++) {
        const m = markers[i]!;
        if (m.tid === 0) markers[i] = { ...m, tid: lone };
      }
    }
    const trailing = t.length > 0 && !t.lastIsNewline ? 1 : 0;
    return {
      lines: this.lineNo - this.firstLine + trailing,
      markers,
      lonePid: fileTid < 0 ? lone : -1,
      starts: (starts?.starts ?? []).map((s) => (s.tid === 0 && lone > 0 ? { ...s, tid: lone } : s)),
      firstTsNs: firstTs(t, info),
      firstTodNs: todOf(t, 0, info),
      lastTodNs: todOf(t, t.lastLineStart, info),
      sequentialOnly: this.sequentialOnly,
    };
  }
}

/** The time of the line `info` holds (ns; -1 without one). */
function timeOf(info: ReturnType<typeof newLineInfo>): number {
  return info.tsStyle === "tod" || info.tsStyle === "epoch" ? info.tsSec * 1e9 + info.tsNsec : -1;
}

function lastLineOffset(text: string): number {
  const end = text.charCodeAt(text.length - 1) === 10 ? text.length - 1 : text.length;
  return text.lastIndexOf("\n", end - 1) + 1;
}

/** The line of `text` starting at `at`, without its newline. */
function lineOf(text: string, at: number): string {
  let end = text.indexOf("\n", at);
  if (end < 0) end = text.length;
  return text.slice(at, end);
}

function todOf(t: PieceText, at: number, info: ReturnType<typeof newLineInfo>): number {
  if (t.length === 0) return -1;
  parseLine(t.line(at), info);
  return info.tsStyle === "tod" ? info.tsSec * 1e9 + info.tsNsec : -1;
}

/** Time of the first line that has one (within the first 100 lines), or -1. */
function firstTs(t: PieceText, info: ReturnType<typeof newLineInfo>): number {
  let p = 0;
  for (let i = 0; i < 100 && p < t.length; i++) {
    const line = t.line(p);
    parseLine(line, info);
    if (info.tsStyle === "tod" || info.tsStyle === "epoch") return info.tsSec * 1e9 + info.tsNsec;
    p += line.length + 1;
  }
  return -1;
}
