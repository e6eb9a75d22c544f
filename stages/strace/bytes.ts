/**
 * Small helpers for reading strace lines as bytes (a piece of the capture file, one byte per
 * character as in the latin1 text the string path reads). Offsets are absolute in the buffer.
 */

/** Node's Buffer has latin1Slice (what toString("latin1") calls), untyped in @types/node. */
interface LatinSlicer {
  latin1Slice(start: number, end: number): string;
}

/** The latin1 text of bytes [a, b) of `buf` (a Buffer). */
export function latin1(buf: Uint8Array, a: number, b: number): string {
  return (buf as unknown as LatinSlicer).latin1Slice(a, b);
}

/** true when bytes [a, a + t.length) of `buf` equal the ASCII text `t`, all before `end`. */
export function bytesAre(buf: Uint8Array, a: number, end: number, t: string): boolean {
  if (a < 0 || a + t.length > end) return false;
  for (let i = 0; i < t.length; i++) if (buf[a + i] !== t.charCodeAt(i)) return false;
  return true;
}

/** Offset of the first byte `ch` in [a, b), or -1. */
export function byteIn(buf: Uint8Array, ch: number, a: number, b: number): number {
  for (let i = a; i < b; i++) if (buf[i] === ch) return i;
  return -1;
}

/** true when bytes [a, b) hold a byte ≥ 0x80. */
export function hasHighByte(buf: Uint8Array, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (buf[i]! >= 0x80) return true;
  return false;
}

/**
 * `plainNumber` (numbers.ts) on bytes: a plain decimal (not octal) or short hex number in [a, b),
 * or NaN.
 */
export function plainNumberAt(buf: Uint8Array, a: number, b: number): number {
  let i = a;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  if (i >= b) return NaN;
  let v = 0;
  if (buf[i] === 48 && b - i > 2 && buf[i + 1] === 120) {
    if (b - i - 2 > 13) return NaN;
    for (let j = i + 2; j < b; j++) {
      const c = buf[j]!;
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (d < 0) return NaN;
      v = v * 16 + d;
    }
    return neg ? -v : v;
  }
  if (buf[i] === 48 && b - i > 1) return NaN; // octal: decodeScalar
  if (b - i > 15) return NaN;
  for (let j = i; j < b; j++) {
    const c = buf[j]!;
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}

/**
 * Strings for short byte ranges that repeat (syscall names, errno names, flag expressions): the
 * same bytes give the same string object, made once. A small direct-mapped table; a miss only
 * costs the slice.
 */
export class ByteStrings {
  private readonly keys: string[];
  private readonly mask: number;

  constructor(bits = 8) {
    this.keys = new Array<string>(1 << bits).fill("");
    this.mask = (1 << bits) - 1;
  }

  /** The string of bytes [a, b) (b - a > 0). */
  get(buf: Uint8Array, a: number, b: number): string {
    const len = b - a;
    let h = len;
    for (let i = a; i < b; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
    const slot = (h ^ (h >>> 11)) & this.mask;
    const k = this.keys[slot]!;
    if (k.length === len) {
      let i = 0;
      while (i < len && k.charCodeAt(i) === buf[a + i]) i++;
      if (i === len) return k;
    }
    const s = latin1(buf, a, b);
    this.keys[slot] = s;
    return s;
  }
}
