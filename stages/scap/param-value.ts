/**
 * Reads one event parameter as a number, a bigint, a string or bytes, by its ppm_param_type and its
 * stored length (old captures sometimes stored a type at another width, so the length decides).
 * The event layout has checked that each parameter lies inside its event.
 */
import type { ScapEvent } from "./event.ts";
import { i32, u16, u32 } from "./le.ts";

/** Signed integer parameter types. */
export const SIGNED: Readonly<Record<string, boolean>> = {
  INT8: true,
  INT16: true,
  INT32: true,
  INT64: true,
  ERRNO: true,
  FD: true,
  PID: true,
};

/**
 * Integer value of parameter `i` (bigint only when it does not fit a safe JS number), or null;
 * `signed`: its type is one of SIGNED.
 */
export function paramInt(ev: ScapEvent, i: number, signed: boolean): number | bigint | null {
  const s = ev.start[i]!;
  const b = ev.buf;
  switch (ev.len[i]) {
    case 1:
      return signed ? (b[s]! << 24) >> 24 : b[s]!;
    case 2:
      return signed ? (u16(b, s) << 16) >> 16 : u16(b, s);
    case 4:
      return signed ? i32(b, s) : u32(b, s);
    case 8: {
      // without BigInt when the value fits a safe integer (nearly always): 2-3x faster
      const lo = u32(b, s);
      const hi = i32(b, s + 4);
      if (hi >= 0 && hi < 0x200000) return hi * 4294967296 + lo;
      if (signed && hi < 0 && hi >= -0x200000) return hi * 4294967296 + lo;
      return signed ? b.readBigInt64LE(s) : b.readBigUInt64LE(s);
    }
    default:
      return null;
  }
}

/** A NUL-terminated string parameter (CHARBUF, FSPATH, FSRELPATH), without its NUL. */
export function paramString(ev: ScapEvent, i: number): string {
  const s = ev.start[i]!;
  let e = s + ev.len[i]!;
  if (e > s && ev.buf[e - 1] === 0) e--;
  return ev.buf.toString("utf8", s, e);
}

/** The raw bytes of a parameter (a view, not a copy). */
export function paramBytes(ev: ScapEvent, i: number): Buffer {
  return ev.buf.subarray(ev.start[i]!, ev.start[i]! + ev.len[i]!);
}

/** Integer parameter types (read with paramInt). */
export const INT_TYPES: ReadonlySet<string> = new Set([
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "ERRNO",
  "FD",
  "PID",
  "SYSCALLID",
  "SIGTYPE",
  "RELTIME",
  "ABSTIME",
  "PORT",
  "L4PROTO",
  "SOCKFAMILY",
  "BOOL",
  "FLAGS8",
  "FLAGS16",
  "FLAGS32",
  "ENUMFLAGS8",
  "ENUMFLAGS16",
  "ENUMFLAGS32",
  "UID",
  "GID",
  "SIGSET",
  "MODE",
]);

/** String parameter types (read with paramString). */
export const STRING_TYPES: ReadonlySet<string> = new Set(["CHARBUF", "FSPATH", "FSRELPATH"]);
