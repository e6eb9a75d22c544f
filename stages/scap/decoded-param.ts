/**
 * One event parameter decoded to a value and to text in sysdig's notation (`flags=4097(O_RDONLY|
 * O_CLOEXEC)`, `res=-2(ENOENT)`, `tuple=1.2.3.4:5->6.7.8.9:80`): the raw PPM text kept in args_raw.
 */
import { CONST_TABLES } from "../../schemas/generated/consts.ts";
import type { ScapParamInfo } from "../../schemas/generated/scap-events.ts";
import type { ScapEvent } from "./event.ts";
import { INT_TYPES, STRING_TYPES, paramBytes, paramInt, paramString } from "./param-value.ts";
import { ppmToKernel } from "./ppm-flags.ts";
import { addrFamily, sockaddrText, socktupleText } from "./sockaddr.ts";

/** A decoded parameter. */
export interface DecodedParam {
  readonly info: ScapParamInfo;
  /** integer value (PPM encoding for flag types), or null. */
  readonly int: number | bigint | null;
  /** string value of string parameters, or null. */
  readonly str: string | null;
  /** socket family of SOCKADDR/SOCKTUPLE parameters, or -1. */
  readonly family: number;
  /** sysdig-style text of the value. */
  readonly text: string;
}

/** errno number → name (kernel table). */
export const ERRNO_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(CONST_TABLES.errno.values).map(([k, v]) => [v as number, k]),
);

function printable(b: Buffer): string {
  let s = "";
  for (const c of b) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  return s;
}

function intText(info: ScapParamInfo, v: number | bigint): string {
  if (info.info !== undefined && /FLAGS|MODE/.test(info.type) && typeof v === "number") {
    const names = ppmToKernel(info.info, v).names;
    return names ? `${v}(${names})` : String(v);
  }
  if (info.type === "ERRNO" && typeof v === "number" && v < 0) {
    const n = ERRNO_NAMES.get(-v);
    return n ? `${v}(${n})` : String(v);
  }
  return String(v);
}

/** Decodes parameter `i` of `ev` described by `info`. */
export function decodeParam(ev: ScapEvent, i: number, info: ScapParamInfo): DecodedParam {
  const t = info.type;
  if (ev.len[i] === 0) return { info, int: null, str: null, family: -1, text: "NULL" };
  if (INT_TYPES.has(t)) {
    const v = paramInt(ev, i, t);
    return { info, int: v, str: null, family: -1, text: v === null ? "?" : intText(info, v) };
  }
  if (STRING_TYPES.has(t)) {
    const s = paramString(ev, i);
    return { info, int: null, str: s, family: -1, text: s };
  }
  const b = paramBytes(ev, i);
  const family = t === "SOCKADDR" || t === "SOCKTUPLE" ? addrFamily(b, 0, b.length) : -1;
  let text: string;
  if (t === "SOCKADDR") text = sockaddrText(b, 0, b.length);
  else if (t === "SOCKTUPLE") text = socktupleText(b, 0, b.length);
  else if (t === "BYTEBUF") text = printable(b);
  else text = b.toString("hex");
  return { info, int: null, str: null, family, text };
}
