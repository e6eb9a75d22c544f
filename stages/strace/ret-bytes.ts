/**
 * `parseRet` (ret.ts) on bytes: the tail `) = RET[<decoration>][ ERRNO (text)][ <duration>]` of
 * the line in bytes [lineStart, lineEnd) of a piece, found from the end with the same rules.
 * Offsets are absolute; the errno name is given as a byte range.
 */
import { parseIntToken } from "./numbers.ts";
import { latin1, plainNumberAt } from "./bytes.ts";

/** Parsed tail; reused between lines. */
export interface RetBytes {
  /** offset of the `)` closing the argument list. */
  argsEnd: number;
  /** false for `?` (the call never returned to user space). */
  hasValue: boolean;
  value: number;
  /** exact value when it does not fit a double exactly, else null. */
  big: bigint | null;
  /** errno name as bytes [errStart, errEnd), errStart -1 when none. */
  errStart: number;
  errEnd: number;
  /** `-T` duration in ns, or -1. */
  durationNs: number;
  /** decoration of a returned fd (`-y`), or -1. */
  decoStart: number;
  decoEnd: number;
}

export function newRetBytes(): RetBytes {
  return {
    argsEnd: -1,
    hasValue: false,
    value: 0,
    big: null,
    errStart: -1,
    errEnd: -1,
    durationNs: -1,
    decoStart: -1,
    decoEnd: -1,
  };
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const DELETED = "> (deleted)";
const DELETED6 = ">(deleted)";

/** `<0.000031>` ending at `end` (exclusive): ns into out.durationNs; returns where the tail ends. */
function parseDuration(buf: Uint8Array, lineStart: number, end: number, out: RetBytes): number {
  out.durationNs = -1;
  if (buf[end - 1] !== 62 /* > */ || end - 1 < lineStart) return end;
  let i = end - 2;
  let frac = 0;
  let scale = 1;
  let digits = 0;
  for (; i >= lineStart; i--) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    frac += (c - 48) * scale;
    scale *= 10;
    digits++;
  }
  if (digits === 0 || i < lineStart || buf[i] !== 46 /* . */) return end;
  i--;
  let sec = 0;
  scale = 1;
  const secEnd = i;
  for (; i >= lineStart; i--) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    sec += (c - 48) * scale;
    scale *= 10;
  }
  if (i === secEnd || i < lineStart + 1 || buf[i] !== 60 || buf[i - 1] !== 32) return end;
  out.durationNs =
    sec * 1e9 + (digits <= 9 ? frac * POW10[9 - digits]! : Math.floor(frac / 10 ** (digits - 9)));
  return i - 1;
}

/** The last ` = ` starting at or before `at` and at or after `min`, or -1. */
function lastEq(buf: Uint8Array, min: number, at: number, lineEnd: number): number {
  for (let i = Math.min(at, lineEnd - 3); i >= min; i--) {
    if (buf[i] === 32 && buf[i + 1] === 61 && buf[i + 2] === 32) return i;
  }
  return -1;
}

/**
 * Finds the closing `)` of the arguments (which start at `from`) and parses what follows. Returns
 * false when the line has no `) = ` tail or its value cannot be read.
 */
export function parseRetBytes(
  buf: Uint8Array,
  lineStart: number,
  from: number,
  lineEnd: number,
  out: RetBytes,
): boolean {
  out.hasValue = false;
  out.value = 0;
  out.big = null;
  out.errStart = -1;
  out.decoStart = -1;
  out.decoEnd = -1;
  const tailEnd = parseDuration(buf, lineStart, lineEnd, out);
  // ` = ` matches are searched in the whole line, as the string path does (from ≥ lineStart)
  let eq = lastEq(buf, lineStart, tailEnd, lineEnd);
  while (eq >= from) {
    let k = eq;
    while (k > from && buf[k - 1] === 32) k--;
    if (buf[k - 1] === 41 /* ) */) {
      out.argsEnd = k - 1;
      return parseRetValue(buf, eq + 3, tailEnd, lineEnd, out);
    }
    eq = lastEq(buf, lineStart, eq - 1, lineEnd);
  }
  return false;
}

const tokenOut = { value: 0, big: null as bigint | null };

function parseRetValue(buf: Uint8Array, i: number, end: number, lineEnd: number, out: RetBytes): boolean {
  let j = i;
  while (j < end) {
    const c = buf[j]!;
    if (c === 32 || c === 60 /* < */) break;
    j++;
  }
  const quick = plainNumberAt(buf, i, j);
  if (quick === quick) {
    out.hasValue = true;
    out.value = quick;
  } else if (j - i === 1 && buf[i] === 63 /* ? */) {
    out.hasValue = false;
  } else if (parseIntToken(latin1(buf, i, j), tokenOut)) {
    out.hasValue = true;
    out.value = tokenOut.value;
    out.big = tokenOut.big;
  } else {
    return false;
  }
  // -y decoration of a returned fd: `3</etc/ld.so.cache>`; may contain spaces and '>'.
  if (j < lineEnd && buf[j] === 60) {
    let close = -1;
    let deleted = false;
    let mark = 0;
    if (endsWithDeleted(buf, j, end)) {
      close = end - DELETED.length;
      mark = DELETED.length;
      deleted = true;
    } else if (endsWithDeleted6(buf, j, end)) {
      // strace 6 prints `3</tmp/#123>(deleted)`, older ones `3</tmp/#123> (deleted)`
      close = end - DELETED6.length;
      mark = DELETED6.length;
      deleted = true;
    } else if (buf[end - 1] === 62) {
      close = end - 1;
    } else {
      // decoration followed by aux text such as ` (flags O_RDONLY)`: the first '>' followed by a space.
      for (let k = j; k + 1 < lineEnd; k++) {
        if (buf[k] === 62 && buf[k + 1] === 32) {
          close = k;
          break;
        }
      }
    }
    if (close < 0) return false;
    out.decoStart = j + 1;
    out.decoEnd = close;
    j = deleted ? close + mark : close + 1;
  }
  // ` ENOENT (No such file or directory)` or ` ERESTARTSYS (...)`
  if (j + 1 < lineEnd && buf[j] === 32 && buf[j + 1] === 69 /* E */) {
    let k = j + 1;
    while (k < end) {
      const c = buf[k]!;
      if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) break;
      k++;
    }
    if (k === end || buf[k] === 32) {
      out.errStart = j + 1;
      out.errEnd = k;
    }
  }
  return true;
}

/** `> (deleted)` ends at `end` and starts at or after `from`. */
function endsWithDeleted(buf: Uint8Array, from: number, end: number): boolean {
  const a = end - DELETED.length;
  if (a < from) return false;
  for (let i = 0; i < DELETED.length; i++) if (buf[a + i] !== DELETED.charCodeAt(i)) return false;
  return true;
}

/** `>(deleted)` (strace 6) ends at `end` and starts at or after `from`. */
function endsWithDeleted6(buf: Uint8Array, from: number, end: number): boolean {
  const a = end - DELETED6.length;
  if (a < from) return false;
  for (let i = 0; i < DELETED6.length; i++) if (buf[a + i] !== DELETED6.charCodeAt(i)) return false;
  return true;
}
