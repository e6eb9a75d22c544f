/**
 * The events of a capture as sysdig 0.29.3 prints them with `sysdig -r`, computed from our reader:
 * what it hides, how it numbers, and each event's type, direction, thread, time, return value and
 * arguments in its notation. The rules encode the differences listed in expected.test.ts.
 */
import { SCAP_EVENTS } from "../../schemas/generated/scap-events.ts";
import { decodeParam, type DecodedParam } from "../../stages/scap/decoded-param.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { genericName } from "../../stages/scap/syscall-name.ts";

/**
 * First event type sysdig 0.29.3 does not know (its PPM_EVENT_MAX, at least): libscap drops such
 * events unread and unnumbered. useradded (354) and groupadded (358) in sample.scap are the cases.
 */
export const SYSDIG_0293_EVENT_MAX = 354;

/** An event as sysdig would show it. */
export interface ViewEvent {
  num: number;
  time: string;
  ts: bigint;
  cpu: number;
  tid: number;
  dir: string;
  type: string;
  params: DecodedParam[];
}

/** Time of day (UTC) of a ns timestamp, as sysdig prints %evt.outputtime. */
export function timeOfDay(ts: bigint): string {
  const ns = ts % 86400000000000n;
  const s = Number(ns / 1000000000n);
  const p2 = (x: number) => String(x).padStart(2, "0");
  return `${p2(Math.floor(s / 3600))}:${p2(Math.floor(s / 60) % 60)}:${p2(s % 60)}.${String(ns % 1000000000n).padStart(9, "0")}`;
}

/** The events `sysdig -r` (0.29.3) prints for capture bytes `raw`. */
export function sysdigView(raw: Buffer): ViewEvent[] {
  const out: ViewEvent[] = [];
  let num = 0;
  let preamble = true;
  readScap(raw, (ev) => {
    if (ev.type >= SYSDIG_0293_EVENT_MAX) return;
    num++;
    const info = SCAP_EVENTS[ev.type]!;
    // container events written by the capturing sysdig before the first real event restore state
    // and are not printed
    if (preamble && info.name === "container") return;
    preamble = false;
    if (info.category.includes("INTERNAL") || info.flags.includes("UNUSED")) return;
    const params: DecodedParam[] = [];
    for (let i = 0; i < ev.nparams; i++) params.push(decodeParam(ev, i, info.params[i]!));
    let type = info.name;
    if (type === "syscall") {
      const id = params[0]?.int;
      const native = params[1]?.int;
      type = genericName(
        typeof id === "number" ? id : null,
        typeof native === "number" ? native : null,
        "x86_64",
      );
    }
    out.push({
      num,
      time: timeOfDay(ev.ts),
      ts: ev.ts,
      cpu: ev.cpu,
      tid: ev.tid,
      dir: info.dir,
      type,
      params,
    });
  });
  return out;
}
