/**
 * Structure of one strace output line: prefix (pid), timestamp, `-i`/`-n` fields and the body kind.
 * Works on latin1-decoded text so that character offsets equal byte offsets in the input.
 */

/** What a line is, before any argument decoding. */
export type LineKind =
  | "call" // NAME(ARGS) = RET
  | "unfinished" // NAME(ARGS <unfinished ...>
  | "resumed" // <... NAME resumed>REST = RET
  | "resumed-unfinished" // <... NAME resumed> <unfinished ...>) = ?   (thread killed while blocked)
  | "signal" // --- SIGCHLD {...} ---  /  --- stopped by SIGSTOP ---
  | "exit" // +++ exited with 0 +++ / +++ killed by SIGKILL +++
  | "superseded" // +++ superseded by execve in pid N +++
  | "attach" // strace: Process N attached
  | "detach" // strace: Process N detached
  | "personality" // [ Process PID=N runs in 32 bit mode. ]
  | "strace-message" // any other "strace: ..." diagnostic
  | "stack" // -k stack frame " > /lib/...(sym+0x..) [0x...]"
  | "dump" // -e read=/write= hex dump " | 00000  ..."
  | "blank"
  | "other"; // not strace output (spliced program output, a shell command line, garbage)

/** Timestamp styles, detected per line. */
export type TsStyle = "none" | "tod" | "epoch" | "relative";

/** Parsed line header; a reused mutable record to keep the hot loop allocation-free. */
export interface LineInfo {
  kind: LineKind;
  /** pid from a `[pid N]` or `N ` prefix, or -1 when the line has none. */
  pid: number;
  /** true when the prefix was the `[pid N]` (stderr) style. */
  bracketPrefix: boolean;
  tsStyle: TsStyle;
  /** seconds part of the timestamp (time of day for `tod`, epoch or delta seconds otherwise). */
  tsSec: number;
  /** nanoseconds part of the timestamp. */
  tsNsec: number;
  /** syscall number from `-n`, or -1. */
  nr: number;
  /** offset of the body (after prefix, timestamp, -i and -n fields). */
  body: number;
  /** syscall name for call/unfinished/resumed lines. */
  name: string;
  /** offset just after `NAME(` (call/unfinished) or after `resumed>` (resumed). */
  argsStart: number;
  /** pid or number carried by attach/detach/superseded/personality lines, else -1. */
  aux: number;
}

/** A fresh LineInfo. */
export function newLineInfo(): LineInfo {
  return {
    kind: "other",
    pid: -1,
    bracketPrefix: false,
    tsStyle: "none",
    tsSec: 0,
    tsNsec: 0,
    nr: -1,
    body: 0,
    name: "",
    argsStart: 0,
    aux: -1,
  };
}

const C0 = 48;
const C9 = 57;
const SPACE = 32;

function isDigit(c: number): boolean {
  return c >= C0 && c <= C9;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= C0 && c <= C9) || c === 95 || (c >= 65 && c <= 90);
}

/** Reads digits from `s` at `i`; returns [value, end]. */
function readInt(s: string, i: number): [number, number] {
  let v = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) break;
    v = v * 10 + (c - C0);
    i++;
  }
  return [v, i];
}

/** Reads a fraction `.ddddd` starting after the dot, scaled to nanoseconds. */
function readFracNs(s: string, i: number): [number, number] {
  let v = 0;
  let digits = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) break;
    if (digits < 9) v = v * 10 + (c - C0);
    digits++;
    i++;
  }
  for (let d = digits; d < 9; d++) v *= 10;
  return [v, i];
}

/** Parses the prefix and timestamp of a line into `out`, returning the offset of what follows. */
function parseHeader(s: string, out: LineInfo): number {
  let i = 0;
  const n = s.length;
  out.pid = -1;
  out.bracketPrefix = false;
  // `[pid  1234] ` or `[pid 1234<comm>] `
  if (s.startsWith("[pid ", 0)) {
    let j = 5;
    while (j < n && s.charCodeAt(j) === SPACE) j++;
    const [pid, e] = readInt(s, j);
    let k = e;
    if (s.charCodeAt(k) === 60 /* < */) {
      const close = s.indexOf(">]", k);
      if (close < 0) return 0;
      k = close + 1;
    }
    if (e > j && s.charCodeAt(k) === 93 /* ] */) {
      out.pid = pid;
      out.bracketPrefix = true;
      i = k + 1;
      while (i < n && s.charCodeAt(i) === SPACE) i++;
    }
  } else if (isDigit(s.charCodeAt(0))) {
    // `-f -o FILE` style: `PID ` padded to 5 columns, on every line; never followed by '.' or ':'.
    const [pid, e] = readInt(s, 0);
    if (e < n && s.charCodeAt(e) === SPACE) {
      out.pid = pid;
      i = e;
      while (i < n && s.charCodeAt(i) === SPACE) i++;
    }
  }
  // timestamp
  out.tsStyle = "none";
  let j = i;
  while (j < n && s.charCodeAt(j) === SPACE) j++;
  const c = s.charCodeAt(j);
  if (isDigit(c)) {
    const [a, e] = readInt(s, j);
    const sep = s.charCodeAt(e);
    if (sep === 58 /* : */ && e - j === 2) {
      const [m, e2] = readInt(s, e + 1);
      if (s.charCodeAt(e2) === 58) {
        const [sec, e3] = readInt(s, e2 + 1);
        let ns = 0;
        let end = e3;
        if (s.charCodeAt(e3) === 46 /* . */) [ns, end] = readFracNs(s, e3 + 1);
        if (s.charCodeAt(end) === SPACE) {
          out.tsStyle = "tod";
          out.tsSec = a * 3600 + m * 60 + sec;
          out.tsNsec = ns;
          return end + 1;
        }
      }
    } else if (sep === 46 /* . */) {
      const [ns, end] = readFracNs(s, e + 1);
      if (s.charCodeAt(end) === SPACE) {
        // strace -r pads the delta in a fixed-width field; epoch seconds are never that small.
        out.tsStyle = j > i || a < 100_000_000 ? "relative" : "epoch";
        out.tsSec = a;
        out.tsNsec = ns;
        return end + 1;
      }
    }
  }
  return i;
}

/** Parses the `[hex]` (-i) and `[ nr]` (-n) fields; returns the new offset. */
function parseBrackets(s: string, i: number, out: LineInfo): number {
  out.nr = -1;
  for (let round = 0; round < 2 && s.charCodeAt(i) === 91 /* [ */; round++) {
    const close = s.indexOf("] ", i);
    if (close < 0 || close - i > 20) return i;
    const inner = s.slice(i + 1, close).trim();
    if (/^(?:[0-9a-f]{16}|[0-9a-f]{8}|\?{16}|\?{8})$/.test(inner)) {
      // instruction pointer (-i: 16 hex digits, 8 for 32-bit tasks); not kept. x32 numbers
      // under -n have 10 digits (0x40000000 | nr)
    } else if (/^\d+$/.test(inner)) {
      out.nr = Number(inner);
    } else if (inner === "???") {
      // -n on a number strace cannot map (e.g. -1): the call still follows
    } else {
      return i;
    }
    i = close + 2;
  }
  return i;
}

/** Recently seen names: most lines repeat a few syscall names, so reuse the strings. */
const NAME_CACHE: string[] = new Array(64).fill("");

function internName(s: string, i: number, j: number): string {
  const len = j - i;
  const slot = (len * 31 + s.charCodeAt(i) * 7 + s.charCodeAt(j - 1)) & 63;
  const cached = NAME_CACHE[slot]!;
  if (cached.length === len && s.startsWith(cached, i)) return cached;
  const name = s.slice(i, j);
  NAME_CACHE[slot] = name;
  return name;
}

const RESUMED = " resumed>";
const UNFINISHED = "<unfinished ...>";

/**
 * Classifies one line (without its newline) and fills `out`.
 * Returns `out.kind`; offsets in `out` refer to `s`.
 */
export function parseLine(s: string, out: LineInfo): LineKind {
  out.name = "";
  out.aux = -1;
  out.nr = -1;
  out.argsStart = 0;
  if (s.length === 0 || s.trim().length === 0) return (out.kind = "blank");
  const c0 = s.charCodeAt(0);
  if (c0 === SPACE) {
    const t = s.trimStart();
    if (t.startsWith("> ")) return (out.kind = "stack");
    if (t.startsWith("| ")) return (out.kind = "dump");
  }
  if (c0 === 115 /* s */ && s.startsWith("strace: ")) {
    const m = /^strace: Process (\d+) (attached|detached)/.exec(s);
    out.pid = -1;
    out.tsStyle = "none";
    if (m) {
      out.aux = Number(m[1]);
      return (out.kind = m[2] === "attached" ? "attach" : "detach");
    }
    return (out.kind = "strace-message");
  }
  let i = parseHeader(s, out);
  // -i / -n fields; -n prints the number of the call in progress before personality lines too
  if (s.charCodeAt(i) === 91 /* [ */ && !s.startsWith("[ Process PID=", i)) i = parseBrackets(s, i, out);
  if (s.startsWith("[ Process PID=", i)) {
    const m = /^\[ Process PID=(\d+) runs in (\d+ bit|x32) mode\. \]/.exec(s.slice(i));
    if (m) {
      out.aux = Number(m[1]);
      // 32, 64, or 0 for x32 (64-bit registers, 32-bit pointers: its own syscall numbering)
      out.nr = m[2] === "x32" ? 0 : parseInt(m[2]!, 10);
      out.body = i;
      return (out.kind = "personality");
    }
    return (out.kind = "other");
  }
  out.body = i;
  const c = s.charCodeAt(i);
  if (c === 45 /* - */ && s.startsWith("--- ", i)) {
    return (out.kind = s.endsWith(" ---") ? "signal" : "other");
  }
  if (c === 43 /* + */ && s.startsWith("+++ ", i)) {
    if (!s.endsWith(" +++") && !s.endsWith("(core dumped) +++")) return (out.kind = "other");
    const m = /^\+\+\+ superseded by execve in pid (\d+)/.exec(s.slice(i));
    if (m) {
      out.aux = Number(m[1]);
      return (out.kind = "superseded");
    }
    return (out.kind = "exit");
  }
  if (c === 60 /* < */ && s.startsWith("<... ", i)) {
    const r = s.indexOf(RESUMED, i + 5);
    if (r < 0) return (out.kind = "other");
    out.name = s.slice(i + 5, r);
    out.argsStart = r + RESUMED.length;
    if (s.startsWith(" " + UNFINISHED, out.argsStart)) return (out.kind = "resumed-unfinished");
    return (out.kind = "resumed");
  }
  // NAME(
  let j = i;
  const n = s.length;
  while (j < n && isNameChar(s.charCodeAt(j))) j++;
  if (j === i || s.charCodeAt(j) !== 40 /* ( */) {
    if (s.startsWith("???(", i)) {
      out.name = "???";
      out.argsStart = i + 4;
      return (out.kind = s.endsWith(UNFINISHED) ? "unfinished" : "call");
    }
    return (out.kind = "other");
  }
  out.name = internName(s, i, j);
  out.argsStart = j + 1;
  if (s.endsWith(UNFINISHED)) return (out.kind = "unfinished");
  return (out.kind = "call");
}
