/**
 * Reads sysdig's default text output (`*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid)
 * %evt.dir %evt.type %evt.info`) into records; lines that do not start a record (a newline inside
 * a printed JSON or buffer) continue the previous one.
 */

/** One printed event. */
export interface SysdigLine {
  num: number;
  /** time of day, `HH:MM:SS.nnnnnnnnn` (UTC in our goldens). */
  time: string;
  cpu: number;
  proc: string;
  tid: number;
  dir: string;
  type: string;
  info: string;
}

const LINE = /^(\d+) (\d\d:\d\d:\d\d\.\d{9}) (\d+) (.*?) \((-?\d+)\) ([<>]) (\S+) ?(.*)$/s;

/** Parses the text of a `sysdig -r` run. */
export function parseSysdigText(text: string): SysdigLine[] {
  const out: SysdigLine[] = [];
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (m) {
      out.push({
        num: Number(m[1]),
        time: m[2]!,
        cpu: Number(m[3]),
        proc: m[4]!,
        tid: Number(m[5]),
        dir: m[6]!,
        type: m[7]!,
        info: m[8]!,
      });
    } else if (out.length > 0 && line !== "") out[out.length - 1]!.info += "\n" + line;
  }
  return out;
}
