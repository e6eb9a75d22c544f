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
  const markers: Marker[] = [];
  const info = newLineInfo();
  const ret = newRetInfo();
  const pendingArgs = new Map<number, string>();
  const i386Seen = new Set<number>();
  const bounds: number[] = [];
  let sequentialOnly = false;
  let lineNo = firstLine;
  let counted = 0; // offset up to which newlines were counted
  let lastLineStart = -1;
  const tasks = new LoneTracee(fileTid);
  const starts = fileTid < 0 ? new TaskStarts() : null;
  starts?.see(text, 0);
  /** entry time of each task's unfinished call (a spawn's time is when it was entered). */
  const pendingTs = new Map<number, number>();
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
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
    if (info.bracketPrefix || kind === "unfinished" || kind === "resumed") sequentialOnly = true;
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
  for (let p = text.indexOf("\n", counted); p >= 0; p = text.indexOf("\n", p + 1)) {
    lineNo++;
    if (p + 1 < text.length) starts?.see(text, p + 1);
  }
  // lines read before the first task's pid was known were that task's
  const lone = tasks.firstPid;
  if (lone > 0 && fileTid < 0) {
    for (let i = 0; i < markers.length; i++) {
      const m = markers[i]!;
      if (m.tid === 0) markers[i] = { ...m, tid: lone };
    }
  }
  const trailing = text.length > 0 && text.charCodeAt(text.length - 1) !== 10 ? 1 : 0;
  return {
    lines: lineNo - firstLine + trailing,
    markers,
    lonePid: fileTid < 0 ? lone : -1,
    starts: (starts?.starts ?? []).map((s) => (s.tid === 0 && lone > 0 ? { ...s, tid: lone } : s)),
    firstTsNs: firstTs(text, info),
    firstTodNs: todOf(text, 0, info),
    lastTodNs: todOf(text, lastLineOffset(text), info),
    sequentialOnly,
  };
}

/** The time of the line `info` holds (ns; -1 without one). */
function timeOf(info: ReturnType<typeof newLineInfo>): number {
  return info.tsStyle === "tod" || info.tsStyle === "epoch" ? info.tsSec * 1e9 + info.tsNsec : -1;
}

function lastLineOffset(text: string): number {
  const end = text.charCodeAt(text.length - 1) === 10 ? text.length - 1 : text.length;
  return text.lastIndexOf("\n", end - 1) + 1;
}

function todOf(text: string, at: number, info: ReturnType<typeof newLineInfo>): number {
  if (text.length === 0) return -1;
  let end = text.indexOf("\n", at);
  if (end < 0) end = text.length;
  parseLine(text.slice(at, end), info);
  return info.tsStyle === "tod" ? info.tsSec * 1e9 + info.tsNsec : -1;
}

/** Time of the first line that has one (within the first 100 lines), or -1. */
function firstTs(text: string, info: ReturnType<typeof newLineInfo>): number {
  let p = 0;
  for (let i = 0; i < 100 && p < text.length; i++) {
    let e = text.indexOf("\n", p);
    if (e < 0) e = text.length;
    parseLine(text.slice(p, e), info);
    if (info.tsStyle === "tod" || info.tsStyle === "epoch") return info.tsSec * 1e9 + info.tsNsec;
    p = e + 1;
  }
  return -1;
}
