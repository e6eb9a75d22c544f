/**
 * The tail of a syscall line: `) = RET[<decoration>][ ERRNO (text)][ (aux)][ <duration>]`.
 * Found from the end of the line, because argument strings may contain `) = `.
 */

import { parseIntToken, plainNumber } from "./numbers.ts";

/** Parsed tail; reused between lines. */
export interface RetInfo {
  /** offset of the `)` closing the argument list. */
  argsEnd: number;
  /** false for `?` (the call never returned to user space). */
  hasValue: boolean;
  /** the return value (exact below 2^53). */
  value: number;
  /** exact value when it does not fit a double exactly, else null. */
  big: bigint | null;
  /** errno name (`ENOENT`, `ERESTARTSYS`, …) or "". */
  errno: string;
  /** `-T` duration in ns, or -1. */
  durationNs: number;
  /** decoration of a returned fd (`-y`), as offsets into the line, or -1. */
  decoStart: number;
  decoEnd: number;
  /** `(deleted)` followed the returned fd's decoration. */
  deleted: boolean;
}

/** A fresh RetInfo. */
export function newRetInfo(): RetInfo {
  return {
    argsEnd: -1,
    hasValue: false,
    value: 0,
    big: null,
    errno: "",
    durationNs: -1,
    decoStart: -1,
    decoEnd: -1,
    deleted: false,
  };
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Parses `<0.000031>` at the end of `s` (before `end`); returns ns or -1. */
function parseDuration(s: string, end: number): [number, number] {
  if (s.charCodeAt(end - 1) !== 62 /* > */) return [-1, end];
  let i = end - 2;
  let frac = 0;
  let scale = 1;
  let digits = 0;
  for (; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    frac += (c - 48) * scale;
    scale *= 10;
    digits++;
  }
  if (digits === 0 || s.charCodeAt(i) !== 46 /* . */) return [-1, end];
  i--;
  let sec = 0;
  scale = 1;
  const secEnd = i;
  for (; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    sec += (c - 48) * scale;
    scale *= 10;
  }
  if (i === secEnd || s.charCodeAt(i) !== 60 || s.charCodeAt(i - 1) !== 32) return [-1, end];
  const ns = sec * 1e9 + (digits <= 9 ? frac * POW10[9 - digits]! : Math.floor(frac / 10 ** (digits - 9)));
  return [ns, i - 1];
}

/**
 * Finds the closing `)` of the arguments and parses what follows.
 * `from` is where the arguments start. Returns false when the line has no `) = ` tail.
 */
export function parseRet(s: string, from: number, out: RetInfo): boolean {
  out.hasValue = false;
  out.value = 0;
  out.big = null;
  out.errno = "";
  out.decoStart = -1;
  out.decoEnd = -1;
  out.deleted = false;
  const [dur, tailEnd] = parseDuration(s, s.length);
  out.durationNs = dur;
  let eq = s.lastIndexOf(" = ", tailEnd);
  while (eq >= from) {
    let k = eq;
    while (k > from && s.charCodeAt(k - 1) === 32) k--;
    if (k > from - 1 && s.charCodeAt(k - 1) === 41 /* ) */ && k - 1 >= from - 1) {
      out.argsEnd = k - 1;
      return parseRetValue(s, eq + 3, tailEnd, out);
    }
    // lastIndexOf(…, -1) would find a match at 0 again
    eq = eq > 0 ? s.lastIndexOf(" = ", eq - 1) : -1;
  }
  return false;
}

const tokenOut = { value: 0, big: null as bigint | null };

function parseRetValue(s: string, i: number, end: number, out: RetInfo): boolean {
  let j = i;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 32 || c === 60 /* < */) break;
    j++;
  }
  const quick = plainNumber(s, i, j);
  if (quick === quick) {
    out.hasValue = true;
    out.value = quick;
  } else if (j - i === 1 && s.charCodeAt(i) === 63 /* ? */) {
    out.hasValue = false;
  } else if (parseIntToken(s.slice(i, j), tokenOut)) {
    out.hasValue = true;
    out.value = tokenOut.value;
    out.big = tokenOut.big;
  } else {
    return false;
  }
  // -y decoration of a returned fd: `3</etc/ld.so.cache>`; may contain spaces and '>'.
  if (s.charCodeAt(j) === 60) {
    let close = -1;
    const del = s.lastIndexOf("> (deleted)", end);
    // strace 6 prints `3</tmp/#123>(deleted)`, older ones `3</tmp/#123> (deleted)`
    const del6 = s.lastIndexOf(">(deleted)", end);
    let mark = 0;
    if (del >= j && del + 11 === end) {
      close = del;
      mark = 11;
      out.deleted = true;
    } else if (del6 >= j && del6 + 10 === end) {
      close = del6;
      mark = 10;
      out.deleted = true;
    } else if (s.charCodeAt(end - 1) === 62) {
      close = end - 1;
    } else {
      // decoration followed by aux text such as ` (flags O_RDONLY)`: the first '>' followed by a space.
      close = s.indexOf("> ", j);
    }
    if (close < 0) return false;
    out.decoStart = j + 1;
    out.decoEnd = close;
    j = out.deleted ? close + mark : close + 1;
  }
  // ` ENOENT (No such file or directory)` or ` ERESTARTSYS (...)`
  if (s.charCodeAt(j) === 32 && s.charCodeAt(j + 1) === 69 /* E */) {
    let k = j + 1;
    while (k < end) {
      const c = s.charCodeAt(k);
      if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) break;
      k++;
    }
    if (k === end || s.charCodeAt(k) === 32) out.errno = s.slice(j + 1, k);
  }
  return true;
}
