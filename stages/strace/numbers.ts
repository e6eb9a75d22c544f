/**
 * Integer tokens as strace prints them: decimal, hex (`0x…`), possibly beyond 2^53.
 */

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

/**
 * A plain decimal (not octal) or short hex number in s[a, b) without slicing, or NaN.
 * Most arguments are such numbers; everything else goes through decodeScalar.
 */
export function plainNumber(s: string, a: number, b: number): number {
  let i = a;
  let neg = false;
  if (s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  if (i >= b) return NaN;
  let v = 0;
  if (s.charCodeAt(i) === 48 && b - i > 2 && s.charCodeAt(i + 1) === 120) {
    if (b - i - 2 > 13) return NaN;
    for (let j = i + 2; j < b; j++) {
      const c = s.charCodeAt(j);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (d < 0) return NaN;
      v = v * 16 + d;
    }
    return neg ? -v : v;
  }
  if (s.charCodeAt(i) === 48 && b - i > 1) return NaN; // octal: decodeScalar
  if (b - i > 15) return NaN;
  for (let j = i; j < b; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}
