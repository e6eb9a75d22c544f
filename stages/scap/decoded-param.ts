/**
 * One event parameter decoded to a value and to text in sysdig's notation (`flags=4097(O_RDONLY|
 * O_CLOEXEC)`, `res=-2(ENOENT)`, `tuple=1.2.3.4:5->6.7.8.9:80`): the raw PPM text kept in args_raw.
 */
import { CONST_TABLES } from "../../schemas/generated/consts.ts";
import type { ScapParamInfo } from "../../schemas/generated/scap-events.ts";
import type { ScapEvent } from "./event.ts";
import { KIND, PARAM_KINDS, PARAM_SIGNED } from "./param-kinds.ts";
import { paramBytes, paramInt, paramString } from "./param-value.ts";
import { ppmToKernel } from "./ppm-flags.ts";
import { addrFamily, sockaddrText, socktupleText } from "./sockaddr.ts";

/** A decoded parameter. */
export interface DecodedParam {
  readonly info: ScapParamInfo;
  /** integer value (PPM encoding for flag types), or null. */
  readonly int: number | bigint | null;
  /** string value of string parameters, or null. */
  readonly str: string | null;
  /** one of KIND. */
  readonly kind: number;
  /** socket family of SOCKADDR/SOCKTUPLE parameters, or -1. */
  readonly family: number;
  /** sysdig-style text of the value. */
  readonly text: string;
}

/** errno number → name (kernel table). */
export const ERRNO_NAMES: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>();
  // first name wins: EAGAIN before its alias EWOULDBLOCK, as the kernel headers and sysdig order them
  for (const [k, v] of Object.entries(CONST_TABLES.errno.values))
    if (!m.has(v as number)) m.set(v as number, k);
  return m;
})();

const NON_PRINTABLE = /[^\x20-\x7e]/g;

function printable(b: Buffer): string {
  return b.toString("latin1").replace(NON_PRINTABLE, ".");
}

/** Text of integer value `v` of a parameter (flag names, errno name, hex, octal or decimal). */
export function intText(info: ScapParamInfo, kind: number, v: number | bigint): string {
  if (kind === KIND.flags && typeof v === "number") {
    const names = ppmToKernel(info.info!, v).names;
    return names ? `${v}(${names})` : String(v);
  }
  if (info.type === "ERRNO" && typeof v === "number" && v < 0) {
    const n = ERRNO_NAMES.get(-v);
    return n ? `${v}(${n})` : String(v);
  }
  if ((info.type === "UID" || info.type === "GID") && v === 0xffffffff) return "-1";
  if (info.fmt === "HEX") return v.toString(16).toUpperCase();
  if (info.fmt === "OCT") return v === 0 ? "0" : `0${v.toString(8)}`;
  return String(v);
}

/** `fd:flags` (flags in hex, as sysdig) pairs of an FDLIST (u16 count, then u64 fd + u16 flags each). */
export function fdlistText(b: Buffer): string {
  const out: string[] = [];
  const n = b.length >= 2 ? b.readUInt16LE(0) : 0;
  for (let k = 0, p = 2; k < n && p + 10 <= b.length; k++, p += 10)
    out.push(`${b.readBigInt64LE(p)}:${b.readUInt16LE(p + 8).toString(16)}`);
  return out.join(" ");
}

/** Decodes parameter `i` of `ev` described by `info`. */
export function decodeParam(ev: ScapEvent, i: number, info: ScapParamInfo): DecodedParam {
  const kind = PARAM_KINDS[ev.type]![i]!;
  if (ev.len[i] === 0) {
    // sysdig prints an empty buffer or string as nothing and any other missing value as NULL
    const text = kind === KIND.bytes || kind === KIND.string ? "" : "NULL";
    return { info, kind, int: null, str: null, family: -1, text };
  }
  if (kind === KIND.int || kind === KIND.flags) {
    const v = paramInt(ev, i, PARAM_SIGNED[ev.type]![i] === 1);
    return { info, kind, int: v, str: null, family: -1, text: v === null ? "?" : intText(info, kind, v) };
  }
  if (kind === KIND.string) {
    const s = paramString(ev, i);
    return { info, kind, int: null, str: s, family: -1, text: s };
  }
  const b = paramBytes(ev, i);
  let family = -1;
  let text: string;
  if (kind === KIND.bytes) text = printable(b);
  else if (kind === KIND.sockaddr) {
    family = addrFamily(b, 0, b.length);
    text = sockaddrText(b, 0, b.length);
  } else if (kind === KIND.socktuple) {
    family = addrFamily(b, 0, b.length);
    text = socktupleText(b, 0, b.length);
  } else if (kind === KIND.fdlist) text = fdlistText(b);
  else text = b.toString("hex");
  return { info, kind, int: null, str: null, family, text };
}

/**
 * decodeParam's parameter with its text made only when read (the fd table reads the text of
 * addresses only; flag and mode texts cost more than the values). Read it before the event's
 * buffer offsets are reused (the next event).
 */
class LazyParam implements DecodedParam {
  private made: string | null = null;
  constructor(
    readonly info: ScapParamInfo,
    readonly kind: number,
    readonly int: number | bigint | null,
    readonly str: string | null,
    readonly family: number,
    private readonly ev: ScapEvent,
    private readonly i: number,
  ) {}
  get text(): string {
    return (this.made ??= decodeParam(this.ev, this.i, this.info).text);
  }
}

/** Parameter `i` of `ev` as decodeParam gives it, its text made when first read (LazyParam). */
export function decodeParamLazily(ev: ScapEvent, i: number, info: ScapParamInfo): DecodedParam {
  const kind = PARAM_KINDS[ev.type]![i]!;
  const len = ev.len[i]!;
  let int: number | bigint | null = null;
  let str: string | null = null;
  let family = -1;
  if (len > 0) {
    if (kind === KIND.int || kind === KIND.flags) int = paramInt(ev, i, PARAM_SIGNED[ev.type]![i] === 1);
    else if (kind === KIND.string) str = paramString(ev, i);
    else if (kind === KIND.sockaddr || kind === KIND.socktuple) family = ev.buf[ev.start[i]!]!;
  }
  return new LazyParam(info, kind, int, str, family, ev, i);
}
