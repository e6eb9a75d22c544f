/**
 * Writes an event parameter's sysdig-style text (decoded-param.ts's `text`) straight into a byte
 * buffer, from the parameter's offsets in the capture, as UTF-8: the `args_raw` of a scap row is
 * built in bytes, with no string per parameter for the common kinds (decimal integers, ASCII
 * strings, printable buffers). Kinds whose text needs formatting (flag names, errno names, hex,
 * octal, addresses, fd lists) go through the same functions as decodeParam.
 */
import type { ScapParamInfo } from "../../schemas/generated/scap-events.ts";
import { ERRNO_NAMES, fdlistText, intText } from "./decoded-param.ts";
import { ppmToKernel } from "./ppm-flags.ts";
import { KIND } from "./param-kinds.ts";
import { sockaddrText, socktupleText } from "./sockaddr.ts";

/** A growable byte buffer written from the start for each row. */
export class ByteText {
  buf: Buffer = Buffer.alloc(4096);
  at = 0;

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const b = Buffer.alloc(size);
    this.buf.copy(b, 0, 0, this.at);
    this.buf = b;
  }

  /** Appends the ASCII bytes `a` (a parameter name and its `=`). */
  ascii(a: Uint8Array): void {
    this.reserve(a.length);
    const b = this.buf;
    let at = this.at;
    for (let i = 0; i < a.length; i++) b[at++] = a[i]!;
    this.at = at;
  }

  byte(c: number): void {
    this.reserve(1);
    this.buf[this.at++] = c;
  }

  /** Appends `s` as UTF-8 (short ASCII strings by a char loop: cheaper than Buffer.write). */
  string(s: string): void {
    const n = s.length;
    if (n <= 64) {
      this.reserve(n);
      const b = this.buf;
      let at = this.at;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[at++] = c;
      }
      if (i === n) {
        this.at = at;
        return;
      }
    }
    this.reserve(n * 3);
    this.at += this.buf.write(s, this.at, "utf8");
  }

  /** Appends ` name=` (the space only after an earlier parameter): one reserve for both. */
  key(nameEq: Uint8Array): void {
    this.reserve(nameEq.length + 1);
    const b = this.buf;
    let at = this.at;
    if (at > 0) b[at++] = 0x20;
    for (let i = 0; i < nameEq.length; i++) b[at++] = nameEq[i]!;
    this.at = at;
  }

  /** Appends an integer in decimal (String(v) for a safe integer, without the string). */
  decimal(v: number): void {
    this.reserve(24);
    const b = this.buf;
    if (v >= 0 && v < 10) {
      b[this.at++] = 0x30 + v;
      return;
    }
    if (!Number.isSafeInteger(v)) {
      this.string(String(v));
      return;
    }
    if (v < 0) {
      b[this.at++] = 0x2d;
      v = -v;
    }
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    if (v < 0x80000000) {
      // int32 arithmetic while it fits (most values: fds, sizes, counts)
      do {
        const q = (v / 10) | 0;
        b[--at] = 0x30 + (v - q * 10);
        v = q;
      } while (v > 0);
      return;
    }
    do {
      const q = Math.floor(v / 10);
      b[--at] = 0x30 + (v - q * 10);
      v = q;
    } while (v > 0);
  }
}

const NON_PRINTABLE = 0x2e; // '.'

/**
 * How intText writes an integer parameter, decided once per parameter: FLAGS, or a special type
 * (ERRNO: negative values named; UID/GID: 0xffffffff is -1) times 4 plus the radix (DEC, HEX, OCT).
 */
export const FLAGS_FORM = 15;
const ERRNO = 4;
const ID = 8;
const HEX = 1;
const OCT = 2;

/** The form of integer parameter `info` of kind `kind`. */
export function intForm(info: ScapParamInfo, kind: number): number {
  if (kind === KIND.flags) return FLAGS_FORM;
  const special = info.type === "ERRNO" ? ERRNO : info.type === "UID" || info.type === "GID" ? ID : 0;
  return special + (info.fmt === "HEX" ? HEX : info.fmt === "OCT" ? OCT : 0);
}

const DIGITS = Buffer.from("0123456789ABCDEF");

/** Appends non-negative safe integer `v` in base 16 or 8. */
function radix(out: ByteText, v: number, base: number): void {
  let digits = 1;
  for (let x = v; x >= base; x = Math.floor(x / base)) digits++;
  out.reserve(digits);
  const b = out.buf;
  let at = out.at + digits;
  out.at = at;
  do {
    const q = Math.floor(v / base);
    b[--at] = DIGITS[v - q * base]!;
    v = q;
  } while (v > 0);
}

/** `(names)` after a value, when there are names. */
function named(out: ByteText, names: string | undefined): void {
  if (names === undefined || names === "") return;
  out.byte(0x28);
  out.string(names);
  out.byte(0x29);
}

/**
 * Appends the text of an integer parameter with value `v`, byte for byte what intText returns
 * (`form`: intForm of the parameter), without making the string.
 */
export function writeInt(
  out: ByteText,
  info: ScapParamInfo,
  kind: number,
  form: number,
  v: number | bigint,
): void {
  if (typeof v !== "number") {
    out.string(intText(info, kind, v));
    return;
  }
  if (form === FLAGS_FORM) {
    out.decimal(v);
    named(out, ppmToKernel(info.info!, v).names);
    return;
  }
  if ((form & ERRNO) !== 0 && v < 0) {
    out.decimal(v);
    named(out, ERRNO_NAMES.get(-v));
    return;
  }
  if ((form & ID) !== 0 && v === 0xffffffff) {
    out.string("-1");
    return;
  }
  const base = form & 3;
  if (base === 0) out.decimal(v);
  else if (v === 0) out.byte(0x30);
  else if (v > 0 && Number.isSafeInteger(v)) {
    if (base === OCT) out.byte(0x30);
    radix(out, v, base === HEX ? 16 : 8);
  } else out.string(intText(info, kind, v));
}

/**
 * Appends the text of a non-empty string parameter at [s, e) of `src` (its NUL already dropped):
 * the bytes themselves when ASCII, else the UTF-8 of their decoding (U+FFFD for invalid UTF-8,
 * as the string decodeParam makes).
 */
export function writeString(out: ByteText, src: Buffer, s: number, e: number): void {
  out.reserve(e - s);
  const b = out.buf;
  let at = out.at;
  for (let i = s; i < e; i++) {
    const c = src[i]!;
    if (c >= 0x80) {
      out.string(src.toString("utf8", s, e));
      return;
    }
    b[at++] = c;
  }
  out.at = at;
}

/** Appends the text of a non-empty non-integer, non-string parameter at [s, s + len) of `src`. */
export function writeOther(out: ByteText, kind: number, src: Buffer, s: number, len: number): void {
  const e = s + len;
  switch (kind) {
    case KIND.bytes: {
      // latin1 with every byte outside 0x20-0x7e shown as '.' (one byte per byte)
      out.reserve(len);
      const b = out.buf;
      let at = out.at;
      for (let i = s; i < e; i++) {
        const c = src[i]!;
        b[at++] = c >= 0x20 && c <= 0x7e ? c : NON_PRINTABLE;
      }
      out.at = at;
      return;
    }
    case KIND.sockaddr:
      out.string(sockaddrText(src, s, len));
      return;
    case KIND.socktuple:
      out.string(socktupleText(src, s, len));
      return;
    case KIND.fdlist:
      out.string(fdlistText(src.subarray(s, e)));
      return;
    default:
      out.reserve(len * 2);
      out.at += out.buf.write(src.toString("hex", s, e), out.at, "latin1");
  }
}
