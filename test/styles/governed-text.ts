/**
 * The syscall names a capture's container made under its filter, read straight from the strace
 * text with a method of its own (no sandmine parser, scan or timeline): the filter load is the
 * line `prctl(PR_SET_SECCOMP, …)` / `prctl(0x16, 0x2, …)` or `seccomp(SECCOMP_SET_MODE_FILTER|0x1, …)`
 * returning 0, and the governed calls are that task's later lines plus every line of a task whose
 * first line comes after the load (runc's own tasks all started before it). Works on `-ff` folders
 * (one file per task, `-tt`) and single `-f -o` files (`PID ` prefixes, any timestamp style).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const FILTER =
  /\b(?:prctl\((?:PR_SET_SECCOMP|0x16), (?:SECCOMP_MODE_FILTER|0x2),|seccomp\((?:SECCOMP_SET_MODE_FILTER|0x1),)/;
const LINE =
  /^(\d+ +)?(\d\d:\d\d:\d\d\.\d+|\d+\.\d+) (?:\[ *\d+\] )?(?:<\.\.\. )?([a-z_][a-z0-9_]*)(\(| resumed>)/;

interface Line {
  task: string;
  t: number;
  name: string;
  /** the line starts a call (not a resumed half), so it names the call once */
  start: boolean;
  filter: boolean;
  ok: boolean;
}

function seconds(ts: string): number {
  if (!ts.includes(":")) return Number(ts);
  const [h, m, s] = ts.split(":");
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

function lines(text: string, task: string): Line[] {
  const out: Line[] = [];
  for (const raw of text.split("\n")) {
    const m = LINE.exec(raw);
    if (!m) continue;
    out.push({
      task: m[1] ? m[1].trim() : task,
      t: seconds(m[2]!),
      name: m[3]!,
      start: m[4] === "(",
      filter: FILTER.test(raw),
      ok: / = 0(?: <[\d.]+>)?$/.test(raw),
    });
  }
  return out;
}

/** Names called under the filter in the capture at `dir` (a folder of trace files). */
export function governedNames(dir: string): Set<string> {
  const all: Line[] = [];
  for (const f of readdirSync(dir).sort()) {
    const text = gunzipSync(readFileSync(join(dir, f))).toString("latin1");
    all.push(...lines(text, f));
  }
  const first = new Map<string, number>();
  for (const l of all) if (!first.has(l.task) || l.t < first.get(l.task)!) first.set(l.task, l.t);
  // a resumed filter load: its start line names it, its resumed line has the `= 0`
  const load = all.find(
    (l, i) => l.filter && (l.ok || all.slice(i + 1).some((x) => x.task === l.task && !x.start)),
  );
  if (!load) throw new Error(`${dir}: no filter load found`);
  const names = new Set<string>();
  for (const l of all) {
    const under = l.task === load.task ? l.t > load.t : first.get(l.task)! > load.t;
    if (under) names.add(l.name);
  }
  return names;
}
