/**
 * sysdig text written with a custom `-p` format, e.g. LID-DS's `%evt.rawtime %user.uid %proc.pid
 * %proc.name %thread.tid %syscall.type %evt.dir %evt.args`: the format is turned into a line
 * pattern, one capture per field; literal text between fields must match as written.
 */
import { procName, todNs, type SysdigRecord } from "./record.ts";

/** Pattern of each supported field (names bounded: lazy groups without a bound are quadratic). */
const FIELDS: Readonly<Record<string, string>> = {
  "evt.num": "(\\d+)",
  "evt.rawtime": "(\\d+)",
  "evt.outputtime": "(\\d\\d:\\d\\d:\\d\\d\\.\\d{9})",
  "evt.time": "(\\d\\d:\\d\\d:\\d\\d\\.\\d{9})",
  "evt.cpu": "(\\d+)",
  "proc.name": "(.{0,255}?)",
  "proc.pid": "(-?\\d+)",
  "thread.tid": "(-?\\d+)",
  "thread.vtid": "(-?\\d+)",
  "user.uid": "(-?\\d+|<NA>)",
  "evt.dir": "([<>])",
  "evt.type": "(\\S+)",
  "syscall.type": "(\\S+)",
  "container.id": "(\\S+)",
  "container.name": "(.{0,255}?)",
  "evt.args": "(.*)",
  "evt.info": "(.*)",
};

/** A compiled custom format. */
export interface LineFormat {
  regex: RegExp;
  fields: string[];
}

/** Compiles a `-p` format; throws naming the first unsupported field. */
export function compileFormat(format: string): LineFormat {
  const fields: string[] = [];
  let src = "^";
  const f = format.replace(/^\*/, "");
  let last = 0;
  for (const m of f.matchAll(/%([a-z]+\.[a-z_.]+)/g)) {
    const field = m[1]!;
    const pat = FIELDS[field];
    if (pat === undefined) throw new Error(`sysdig format: field %${field} is not supported`);
    src += f.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + pat;
    fields.push(field);
    last = m.index! + m[0].length;
  }
  src += f.slice(last).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "$";
  return { regex: new RegExp(src, "s"), fields };
}

/** Records of a text written with `format`, and the lines that do not match it. */
export function parseFormatLines(
  text: string,
  format: LineFormat,
): { records: SysdigRecord[]; rejects: { line: number; raw: string }[] } {
  const records: SysdigRecord[] = [];
  const rejects: { line: number; raw: string }[] = [];
  text.split("\n").forEach((line, k) => {
    if (line === "") return;
    const m = format.regex.exec(line);
    if (!m) {
      rejects.push({ line: k + 1, raw: line });
      return;
    }
    const v = new Map(format.fields.map((f, i) => [f, m[i + 1]!]));
    const time = v.get("evt.outputtime") ?? v.get("evt.time");
    const rawtime = v.get("evt.rawtime");
    records.push({
      line: k + 1,
      raw: line,
      num: Number(v.get("evt.num") ?? k + 1),
      ts: rawtime === undefined ? null : BigInt(rawtime),
      tod: time === undefined ? null : todNs(time),
      cpu: Number(v.get("evt.cpu") ?? -1),
      tid: Number(v.get("thread.tid") ?? -1),
      dir: v.get("evt.dir") ?? "",
      type: v.get("evt.type") ?? v.get("syscall.type") ?? "",
      info: (v.get("evt.args") ?? v.get("evt.info") ?? "").replace(/ $/, ""),
      proc: procName(v.get("proc.name")),
      containerId: v.get("container.id") ?? null,
      pid: v.has("proc.pid") ? Number(v.get("proc.pid")) : null,
    });
  });
  return { records, rejects };
}
