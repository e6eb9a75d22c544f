/**
 * Decodes the header and parameter layout of one event inside an event block (struct ppm_evt_hdr:
 * u64 ts, u64 tid, u32 len, u16 type, [u32 nparams in v2], then the parameter lengths and values).
 * v1 events carry no parameter count: it is inferred, as libscap does, by trying the table's count
 * and then fewer until the lengths add up to the event length.
 */
import { SCAP_EVENTS } from "../../schemas/generated/scap-events.ts";
import type { EventBlockLayout } from "./block-ids.ts";
import { i32, u16, u32 } from "./le.ts";

/** Reasons, as named constants so tests and users can match them. */
export const EVENT_REASON = {
  short: "event block too short for an event header",
  pastBlock: "event length points past the end of its block",
  tooManyParams: "event has more parameters than its type has in the event table",
  lengths: "event parameter lengths do not add up to the event length",
  noSyscall: "event names no system call of the capture's architecture",
} as const;

const LARGE = SCAP_EVENTS.map((e) => e.flags.includes("LARGE_PAYLOAD"));

/** One decoded event; reused between events (copy what you keep). */
export class ScapEvent {
  cpu = 0;
  /** timestamp (ns) as two u32 halves: BigInt per event cost more than decoding it. */
  tsHi = 0;
  tsLo = 0;
  tid = 0;
  type = 0;
  /** byte offset of the event header in the stream. */
  offset = 0;
  nparams = 0;
  /** start and length of each parameter's value in `buf`. */
  readonly start = new Int32Array(64);
  readonly len = new Int32Array(64);
  buf: Buffer = Buffer.alloc(0);

  /** The timestamp in ns. */
  get ts(): bigint {
    return (BigInt(this.tsHi) << 32n) | BigInt(this.tsLo);
  }
}

/**
 * Fills `ev` from the event block body [start, end). Returns null on success, "unknown" for a type
 * the table does not know (skipped by length), or a reject reason.
 */
export function decodeEvent(
  buf: Buffer,
  start: number,
  end: number,
  layout: EventBlockLayout,
  ev: ScapEvent,
): string | null {
  let p = start + 2 + (layout.hasFlags ? 4 : 0);
  const hdr = layout.v2 ? 26 : 22;
  if (p + hdr > end) return EVENT_REASON.short;
  ev.cpu = u16(buf, start);
  ev.offset = p;
  ev.buf = buf;
  ev.tsLo = u32(buf, p);
  ev.tsHi = u32(buf, p + 4);
  ev.tid = i32(buf, p + 12) * 4294967296 + u32(buf, p + 8); // exact: tids are small (or -1)
  const len = u32(buf, p + 16);
  ev.type = u16(buf, p + 20);
  if (len < hdr || p + len > end) return EVENT_REASON.pastBlock;
  const info = SCAP_EVENTS[ev.type];
  if (info === undefined) return "unknown";
  const lenSize = LARGE[ev.type] ? 4 : 2;
  const max = info.params.length;
  const evEnd = p + len;
  p += hdr;
  if (layout.v2) {
    const n = u32(buf, p - 4);
    if (n > max) return `${EVENT_REASON.tooManyParams} (type ${ev.type} ${info.name}: ${n} > ${max})`;
    return layout_(buf, p, evEnd, n, lenSize, ev) ? null : EVENT_REASON.lengths;
  }
  for (let n = max; n >= 0; n--) if (layout_(buf, p, evEnd, n, 2, ev)) return null;
  return `${EVENT_REASON.tooManyParams} (type ${ev.type} ${info.name}: no count up to ${max} fits ${len} bytes)`;
}

/** Lays out `n` parameters after the header at `p`; false when the lengths do not fill the event. */
function layout_(buf: Buffer, p: number, evEnd: number, n: number, lenSize: number, ev: ScapEvent): boolean {
  let v = p + n * lenSize;
  if (v > evEnd) return false;
  for (let i = 0; i < n; i++) {
    const l = lenSize === 2 ? u16(buf, p + 2 * i) : u32(buf, p + 4 * i);
    ev.start[i] = v;
    ev.len[i] = l;
    v += l;
    if (v > evEnd) return false;
  }
  if (v !== evEnd) return false;
  ev.nparams = n;
  return true;
}
