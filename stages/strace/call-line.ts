/**
 * The common line read as bytes: a complete call `[PID ][TIMESTAMP ]NAME(ARGS) = RET…` with no
 * `[pid N]` prefix, `-i`/`-n` field or `<unfinished ...>` end. It fills the same LineInfo that
 * `parseLine` (line.ts) would for such a line, with offsets into the piece; any other line is
 * left to `parseLine`.
 */
import type { LineInfo } from "./line.ts";
import { ByteStrings } from "./bytes.ts";

const SPACE = 32;
const UNFINISHED = "<unfinished ...>";

/** Lookup of name characters [A-Za-z0-9_]. */
const NAME_CHAR = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  NAME_CHAR[c] = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90) ? 1 : 0;
}

const names = new ByteStrings(8);

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** Digits at `i` (the newline ends a line's digits); the end offset goes to `end.at`. */
function readInt(buf: Uint8Array, i: number, e: number, end: { at: number }): number {
  let v = 0;
  while (i < e) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    i++;
  }
  end.at = i;
  return v;
}

function readFracNs(buf: Uint8Array, i: number, e: number, end: { at: number }): number {
  let v = 0;
  let digits = 0;
  while (i < e) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    if (digits < 9) v = v * 10 + (c - 48);
    digits++;
    i++;
  }
  for (let d = digits; d < 9; d++) v *= 10;
  end.at = i;
  return v;
}

const at = { at: 0 };

/** The byte at `i` of the line ending at `e`, or -1 past its end (as charCodeAt gives NaN). */
function byteAt(buf: Uint8Array, i: number, e: number): number {
  return i < e ? buf[i]! : -1;
}

/**
 * Reads the line in bytes [p, e) as a complete call line into `out` (`argsStart` absolute).
 * Returns false for every other kind of line, and then leaves `out` untouched: `parseLine` keeps
 * some fields of the line before for lines it returns early on (blank, stack, dump).
 */
export function parseCallLine(buf: Uint8Array, p: number, e: number, out: LineInfo): boolean {
  if (e <= p) return false;
  const c0 = buf[p]!;
  // a leading space: only `-r`'s padded delta (stack and dump lines start with spaces too)
  if (c0 === SPACE) {
    let t = p;
    while (t < e && buf[t] === SPACE) t++;
    if (!isDigit(byteAt(buf, t, e))) return false;
  } else if (c0 === 91 /* [ */) {
    return false;
  }
  // `-f -o FILE` style: `PID ` padded to 5 columns
  let i = p;
  let pid = -1;
  if (isDigit(c0)) {
    const v = readInt(buf, p, e, at);
    const x = at.at;
    if (x < e && buf[x] === SPACE) {
      pid = v;
      i = x;
      while (i < e && buf[i] === SPACE) i++;
    }
  }
  // timestamp
  let tsStyle: LineInfo["tsStyle"] = "none";
  let tsSec = 0;
  let tsNsec = 0;
  let j = i;
  while (j < e && buf[j] === SPACE) j++;
  if (isDigit(byteAt(buf, j, e))) {
    const a = readInt(buf, j, e, at);
    const x = at.at;
    const sep = byteAt(buf, x, e);
    if (sep === 58 /* : */ && x - j === 2) {
      const m = readInt(buf, x + 1, e, at);
      const x2 = at.at;
      if (byteAt(buf, x2, e) === 58) {
        const sec = readInt(buf, x2 + 1, e, at);
        const x3 = at.at;
        let ns = 0;
        let end = x3;
        if (byteAt(buf, x3, e) === 46 /* . */) {
          ns = readFracNs(buf, x3 + 1, e, at);
          end = at.at;
        }
        if (byteAt(buf, end, e) === SPACE) {
          tsStyle = "tod";
          tsSec = a * 3600 + m * 60 + sec;
          tsNsec = ns;
          i = end + 1;
        }
      }
    } else if (sep === 46 /* . */) {
      const ns = readFracNs(buf, x + 1, e, at);
      const end = at.at;
      if (byteAt(buf, end, e) === SPACE) {
        // strace -r pads the delta in a fixed-width field; epoch seconds are never that small.
        tsStyle = j > i || a < 100_000_000 ? "relative" : "epoch";
        tsSec = a;
        tsNsec = ns;
        i = end + 1;
      }
    }
  }
  // NAME( — anything else (`[`, `---`, `+++`, `<...`, `???(`) is not a plain call
  let k = i;
  while (k < e && NAME_CHAR[buf[k]!] === 1) k++;
  if (k === i || k >= e || buf[k] !== 40 /* ( */) return false;
  if (endsWith(buf, p, e, UNFINISHED)) return false;
  out.kind = "call";
  out.pid = pid;
  out.bracketPrefix = false;
  out.tsStyle = tsStyle;
  if (tsStyle !== "none") {
    out.tsSec = tsSec;
    out.tsNsec = tsNsec;
  }
  out.nr = -1;
  out.aux = -1;
  out.body = i - p;
  out.name = names.get(buf, i, k);
  out.argsStart = k + 1;
  return true;
}

function endsWith(buf: Uint8Array, p: number, e: number, t: string): boolean {
  const a = e - t.length;
  if (a < p) return false;
  for (let i = 0; i < t.length; i++) if (buf[a + i] !== t.charCodeAt(i)) return false;
  return true;
}
