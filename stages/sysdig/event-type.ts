/**
 * Which event type (PPME_*) a printed event is: sysdig prints only the name and direction, and a
 * name has several versions (execve has nine); the version whose parameter names occur in the
 * printed arguments wins, the newest on a tie. A syscall name no event has is a generic event.
 */
import { SCAP_EVENTS } from "../../schemas/generated/scap-events.ts";

const BY_NAME = new Map<string, number[]>();
SCAP_EVENTS.forEach((e, type) => {
  if (e.flags.includes("UNUSED") || e.name === "NA") return;
  const key = `${e.name}${e.dir}`;
  const list = BY_NAME.get(key) ?? [];
  list.push(type);
  BY_NAME.set(key, list);
});

/**
 * Event type of printed event `name` in direction `dir` with argument text `info`; -1 when none.
 * `prefer` (the exit type pairing the thread's open enter event) wins when it is a candidate.
 */
export function eventTypeOf(name: string, dir: string, info: string, prefer = -1): number {
  const candidates = BY_NAME.get(`${name}${dir}`);
  if (candidates === undefined) return -1;
  if (candidates.includes(prefer)) return prefer;
  let best = -1;
  let bestScore = -Infinity;
  for (const t of candidates) {
    const params = SCAP_EVENTS[t]!.params;
    let score = 0;
    for (const p of params) if (info.startsWith(`${p.name}=`) || info.includes(` ${p.name}=`)) score++;
    // prefer the version with the most printed names and the fewest missing ones; newest on a tie
    const s = score * 100 - (params.length - score);
    if (s >= bestScore) {
      best = t;
      bestScore = s;
    }
  }
  return best;
}
