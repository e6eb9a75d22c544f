/**
 * The tail of a syscall line: `) = RET[<decoration>][ ERRNO (text)][ (aux)][ <duration>]`.
 * Found from the end of the line, because argument strings may contain `) = `.
 */

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

const MAX_SAFE_HEX_DIGITS = 13;

/** Parses a decimal or hex integer token; returns false when it is not one. */
export function parseIntToken(t: string, out: { value: number; big: bigint | null }): boolean {
  out.big = null;
  let neg = false;
  let s = t;
  if (s.charCodeAt(0) === 45) {
    neg = true;
    s = s.slice(1);
  }
  if (s.length === 0) return false;
  if (s.length > 2 && s.charCodeAt(0) === 48 && (s.charCodeAt(1) === 120 || s.charCodeAt(1) === 88)) {
    const hex = s.slice(2);
    if (!/^[0-9a-fA-F]+$/.test(hex)) return false;
    if (hex.length <= MAX_SAFE_HEX_DIGITS) {
      out.value = neg ? -parseInt(hex, 16) : parseInt(hex, 16);
    } else {
      // 64-bit values (e.g. 0xffffffffffffffff) are kept exactly, as the kernel's signed 64-bit value.
      let b = BigInt("0x" + hex);
      if (neg) b = -b;
      b = BigInt.asIntN(64, b);
      out.value = Number(b);
      out.big = Number.isSafeInteger(out.value) ? null : b;
    }
    return true;
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  let v = Number(s);
  if (!Number.isSafeInteger(v)) {
    const b = BigInt.asIntN(64, BigInt(neg ? "-" + s : s));
    out.value = Number(b);
    out.big = b;
    return true;
  }
  if (neg) v = -v;
  out.value = v;
  return true;
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
    eq = s.lastIndexOf(" = ", eq - 1);
  }
  return false;
}

const tokenOut = { value: 0, big: null as bigint | null };

/** A short decimal integer in s[i, j) (optionally negative) without slicing, or NaN. */
function smallInt(s: string, i: number, j: number): number {
  let neg = false;
  if (s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  if (i >= j) return NaN;
  let v = 0;
  for (let k = i; k < j; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}

function parseRetValue(s: string, i: number, end: number, out: RetInfo): boolean {
  let j = i;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 32 || c === 60 /* < */) break;
    j++;
  }
  const quick = j - i <= 9 ? smallInt(s, i, j) : NaN;
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
    if (del >= j && del + 11 === end) {
      close = del;
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
    j = out.deleted ? close + 11 : close + 1;
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
