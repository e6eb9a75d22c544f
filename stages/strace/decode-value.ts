/**
 * Decodes one scalar argument as strace prints it (`O_RDONLY|O_CLOEXEC`, `0x80000 /* … *\/`, `-100`,
 * `0644`, `_IOC(…)`, `SNDCTL_TMR_TIMEBASE or TCGETS`) into the kernel's value. Unknown symbols are
 * reported, never guessed.
 */
import { lookupSymbol } from "../../schemas/consts.ts";
import type { ConstTableName } from "../../schemas/generated/consts.ts";
import { parseIntToken } from "./numbers.ts";

/** Result of decoding; reused. `ok` false means the argument is not a scalar or has unknown parts. */
export interface ValueOut {
  ok: boolean;
  value: number;
  big: bigint | null;
  /** unknown symbols met, if any. */
  unknown: string[] | null;
}

const tok = { value: 0, big: null as bigint | null };

/** ORs two non-negative-or-negative integers exactly (flags may exceed 32 bits). */
function or(a: number, b: number): number {
  if (a >= 0 && b >= 0 && a <= 0x7fffffff && b <= 0x7fffffff) return a | b;
  return Number(BigInt.asIntN(64, BigInt(a) | BigInt(b)));
}

const IOC_DIR: Readonly<Record<string, number>> = {
  _IOC_NONE: 0,
  _IOC_WRITE: 1,
  _IOC_READ: 2,
  "_IOC_READ|_IOC_WRITE": 3,
};

/** `_IOC(dir, type, nr, size)` as strace prints unknown ioctl requests (x86 encoding). */
function decodeIoc(t: string): number | undefined {
  const m = /^_IOC\(([^,]+), ?([^,]+), ?([^,]+), ?([^)]+)\)$/.exec(t);
  if (!m) return undefined;
  const dir = IOC_DIR[m[1]!.trim()];
  const type = /^'.'$/.test(m[2]!.trim()) ? m[2]!.trim().charCodeAt(1) : Number(m[2]);
  const nr = Number(m[3]);
  const size = Number(m[4]);
  if (dir === undefined || [type, nr, size].some((x) => !Number.isInteger(x))) return undefined;
  return ((dir << 30) | (size << 16) | (type << 8) | nr) >>> 0;
}

function decodeTerm(t: string, table: ConstTableName | undefined, out: ValueOut): number | undefined {
  const c = t.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45) {
    // octal modes like 0644 / 000
    if (c === 48 && t.length > 1 && /^0[0-7]+$/.test(t)) return parseInt(t, 8);
    if (parseIntToken(t, tok)) {
      if (tok.big !== null) out.big = tok.big;
      return tok.value;
    }
    return undefined;
  }
  if (t === "NULL") return 0;
  const shift = t.indexOf("<<");
  if (shift > 0) {
    const a = decodeTerm(t.slice(0, shift).trim(), table, out);
    const b = decodeTerm(t.slice(shift + 2).trim(), table, out);
    return a === undefined || b === undefined ? undefined : Number(BigInt(a) << BigInt(b));
  }
  if (t.startsWith("_IOC(")) return decodeIoc(t);
  if (t.includes(" or ")) {
    // ambiguous ioctl names: "SNDCTL_TMR_TIMEBASE or TCGETS"
    for (const alt of t.split(" or ")) {
      const v = lookupSymbol(alt.trim(), table);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  return lookupSymbol(t, table);
}

/**
 * Decodes text `t` (one argument, decoration and comments already removed) using `table` first.
 * Sets `out.ok` when the whole expression was understood.
 */
export function decodeScalar(t: string, table: ConstTableName | undefined, out: ValueOut): void {
  out.ok = false;
  out.big = null;
  out.unknown = null;
  if (t.length === 0) return;
  const c = t.charCodeAt(0);
  if (c === 34 || c === 123 || c === 91 || c === 126 /* " { [ ~ */) return;
  // fast path: a plain decimal number
  if (parseIntToken(t, tok)) {
    if (c === 48 && t.length > 1 && /^0[0-7]+$/.test(t)) {
      out.value = parseInt(t, 8);
    } else {
      out.value = tok.value;
      out.big = tok.big;
    }
    out.ok = true;
    return;
  }
  if (!/^[A-Za-z0-9_|<>' ,()x-]+$/.test(t) || (t.includes("(") && !t.startsWith("_IOC("))) {
    return;
  }
  const terms = t.includes("|") && !t.startsWith("_IOC(") ? t.split("|") : [t];
  let v = 0;
  let ok = true;
  for (const raw of terms) {
    const term = raw.trim();
    const x = decodeTerm(term, table, out);
    if (x === undefined) {
      ok = false;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(term)) (out.unknown ??= []).push(term);
      continue;
    }
    v = terms.length === 1 ? x : or(v, x);
  }
  if (ok) {
    out.ok = true;
    out.value = v;
    if (terms.length > 1) out.big = Number.isSafeInteger(v) ? null : BigInt(v);
  }
}
