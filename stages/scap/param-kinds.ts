/**
 * How each parameter of each event type is read, decided once from the event table instead of per
 * event (string set lookups and regexes per parameter cost more than the decoding itself).
 */
import { SCAP_EVENTS, type ScapParamInfo } from "../../schemas/generated/scap-events.ts";
import { INT_TYPES, SIGNED, STRING_TYPES } from "./param-value.ts";

/** Parameter kinds. */
export const KIND = {
  int: 0,
  /** an integer in a PPM flag/enum table (`info` names it): translated to a kernel value. */
  flags: 1,
  string: 2,
  bytes: 3,
  sockaddr: 4,
  socktuple: 5,
  fdlist: 6,
  other: 7,
} as const;

function kindOf(p: ScapParamInfo): number {
  if (INT_TYPES.has(p.type)) return p.info !== undefined && /FLAGS|MODE/.test(p.type) ? KIND.flags : KIND.int;
  if (STRING_TYPES.has(p.type)) return KIND.string;
  switch (p.type) {
    case "BYTEBUF":
      return KIND.bytes;
    case "SOCKADDR":
      return KIND.sockaddr;
    case "SOCKTUPLE":
      return KIND.socktuple;
    case "FDLIST":
      return KIND.fdlist;
    default:
      return KIND.other;
  }
}

/** PARAM_KINDS[event type][parameter index]. */
export const PARAM_KINDS: readonly Uint8Array[] = SCAP_EVENTS.map((e) =>
  Uint8Array.from(e.params.map(kindOf)),
);

/** PARAM_SIGNED[event type][parameter index]: 1 for signed integer types. */
export const PARAM_SIGNED: readonly Uint8Array[] = SCAP_EVENTS.map((e) =>
  Uint8Array.from(e.params.map((p) => (SIGNED[p.type] === true ? 1 : 0))),
);
