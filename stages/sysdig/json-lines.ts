/**
 * sysdig `-j` output: one JSON object per line. `evt.outputtime` (ns since the epoch) exceeds a
 * JS number's precision, so it is taken from the text as a BigInt before JSON.parse rounds it.
 */
import { procName, type SysdigRecord } from "./record.ts";

const OUTPUTTIME = /"evt\.(?:outputtime|rawtime)":(\d+)/;

/** Records of a `-j` output, and the lines that are not sysdig JSON events. */
export function parseJsonLines(text: string): {
  records: SysdigRecord[];
  rejects: { line: number; raw: string }[];
} {
  const records: SysdigRecord[] = [];
  const rejects: { line: number; raw: string }[] = [];
  text.split("\n").forEach((line, k) => {
    if (line === "") return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      rejects.push({ line: k + 1, raw: line });
      return;
    }
    // any JSON value parses: only an object (not null, not an array) can be an event
    const o = (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
    const t = OUTPUTTIME.exec(line);
    if (typeof o["evt.num"] !== "number" || typeof o["evt.type"] !== "string" || !t) {
      rejects.push({ line: k + 1, raw: line });
      return;
    }
    records.push({
      line: k + 1,
      raw: line,
      num: o["evt.num"],
      ts: BigInt(t[1]!),
      tod: null,
      cpu: typeof o["evt.cpu"] === "number" ? o["evt.cpu"] : -1,
      tid: typeof o["thread.tid"] === "number" ? o["thread.tid"] : -1,
      dir: String(o["evt.dir"] ?? ""),
      type: o["evt.type"],
      info: String(o["evt.info"] ?? o["evt.args"] ?? "").replace(/ $/, ""),
      proc: procName(o["proc.name"]),
      containerId: typeof o["container.id"] === "string" ? o["container.id"] : null,
    });
  });
  return { records, rejects };
}
