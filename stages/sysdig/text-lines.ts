/**
 * sysdig's default text line (`*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid)
 * %evt.dir %evt.type %evt.info`) and the `-pc` one (`… %container.name (%container.id) %proc.name
 * (%thread.tid:%thread.vtid) …`). A line that starts no record continues the previous one (a
 * newline inside a printed buffer or JSON).
 */
import { procName, todNs, type SysdigRecord } from "./record.ts";

/*
 * proc.name and container.name are read up to 255 characters: two lazy `(.*?)` groups without a
 * bound are quadratic in the line's length (a 256 KiB line of ` (host) ` took seconds).
 */
const DEFAULT = /^(\d+) (\d\d:\d\d:\d\d\.\d{9}) (\d+) (.{0,255}?) \((-?\d+)\) ([<>]) (\S+) ?(.*)$/s;
const CONTAINER =
  /^(\d+) (\d\d:\d\d:\d\d\.\d{9}) (\d+) (.{0,255}?) \(([0-9a-f]{12}|host)\) (.{0,255}?) \((-?\d+):(-?\d+)\) ([<>]) (\S+) ?(.*)$/s;

/** Records of a text output, and the lines that are neither a record nor a continuation. */
export function parseTextLines(text: string): {
  records: SysdigRecord[];
  rejects: { line: number; raw: string }[];
} {
  const records: SysdigRecord[] = [];
  const rejects: { line: number; raw: string }[] = [];
  text.split("\n").forEach((line, k) => {
    if (line === "") return;
    const c = CONTAINER.exec(line);
    if (c) {
      records.push({
        line: k + 1,
        raw: line,
        num: Number(c[1]),
        ts: null,
        tod: todNs(c[2]!),
        cpu: Number(c[3]),
        containerId: c[5]!,
        proc: procName(c[6]),
        tid: Number(c[7]),
        dir: c[9]!,
        type: c[10]!,
        info: c[11]!,
      });
      return;
    }
    const m = DEFAULT.exec(line);
    if (m) {
      records.push({
        line: k + 1,
        raw: line,
        num: Number(m[1]),
        ts: null,
        tod: todNs(m[2]!),
        cpu: Number(m[3]),
        proc: procName(m[4]),
        tid: Number(m[5]),
        dir: m[6]!,
        type: m[7]!,
        info: m[8]!,
        containerId: null,
      });
    } else if (records.length > 0) {
      const r = records[records.length - 1]!;
      r.info += "\n" + line;
      r.raw += "\n" + line;
    } else rejects.push({ line: k + 1, raw: line });
  });
  return { records, rejects };
}
