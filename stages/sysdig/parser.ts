/**
 * Reads sysdig's text (`-p` default, `-pc`) or `-j` JSON output into `events` rows with the same
 * decoding as the binary reader: each printed event is matched to its event type, its arguments
 * are split by the type's parameter names and turned into decoded parameters, and the shared row
 * joiner pairs enter and exit events. Every line is a row's event, a skip by kind, or a reject
 * (also an event that names no system call of the architecture: sysdig's `<unknown>` is
 * UNNAMED_SYSCALL).
 */
import { UNNAMED_SYSCALL } from "../../schemas/events.ts";
import { SCAP_EVENTS } from "../../schemas/generated/scap-events.ts";
import type { EventBatch } from "../columns/event-batch.ts";
import type { DecodedParam } from "../scap/decoded-param.ts";
import { PARAM_KINDS } from "../scap/param-kinds.ts";
import type { ThreadInfo } from "../scap/proclist.ts";
import { RowJoiner, type RowOptions } from "../scap/row-joiner.ts";
import { trackThread } from "../scap/threads.ts";
import { eventTypeOf } from "./event-type.ts";
import { compileFormat, parseFormatLines, type LineFormat } from "./format-lines.ts";
import { parseJsonLines } from "./json-lines.ts";
import { printedParam } from "./printed-param.ts";
import type { SysdigRecord } from "./record.ts";
import { splitInfo } from "./split-info.ts";
import { parseTextLines } from "./text-lines.ts";

/** A line that did not become an event. */
export interface SysdigReject {
  line: number;
  reason: string;
  raw: string;
}

/** Reasons, as named constants so tests and users can match them. */
export const SYSDIG_REASON = {
  notSysdig: "not a sysdig event line",
  noSyscall: "event names no system call of the capture's architecture",
  range: "event number or thread id out of range",
} as const;

/** What sysdig prints as the type of a generic event whose syscall it cannot name. */
const UNNAMED_PRINTED = "<unknown>";

/** Parses one sysdig text or JSON output into `batch`. */
export class SysdigParser {
  readonly threads = new Map<number, ThreadInfo>();
  readonly skipped: Record<string, number> = {};
  readonly rejects: SysdigReject[] = [];
  eventLines = 0;
  lines = 0;
  private readonly rows: RowJoiner;

  private readonly json: boolean;
  private readonly lineFormat: LineFormat | null;

  /**
   * `lineFormat`: the `-p` format of a text output written with a custom one (LID-DS:
   * `%evt.rawtime %user.uid %proc.pid %proc.name %thread.tid %syscall.type %evt.dir %evt.args`).
   */
  constructor(
    opts: Omit<RowOptions, "format"> & { format: "sysdig-text" | "sysdig-json"; lineFormat?: string },
    batch: EventBatch,
  ) {
    const { lineFormat, ...rowOpts } = opts;
    this.rows = new RowJoiner(rowOpts, batch, this.threads);
    this.json = opts.format === "sysdig-json";
    this.lineFormat = lineFormat === undefined ? null : compileFormat(lineFormat);
  }

  get events(): number {
    return this.rows.events;
  }

  get unfinishedNeverResumed(): number {
    return this.rows.unfinishedNeverResumed;
  }

  /** Reads a whole output. */
  parse(text: string): void {
    const { records, rejects } = this.json
      ? parseJsonLines(text)
      : this.lineFormat
        ? parseFormatLines(text, this.lineFormat)
        : parseTextLines(text);
    for (const r of rejects) this.rejects.push({ ...r, reason: SYSDIG_REASON.notSysdig });
    this.lines = records.length + rejects.length;
    for (const r of records) this.record(r);
    this.rows.finish();
  }

  private record(r: SysdigRecord): void {
    // sysdig's numbers are integers; a thread id the tid column cannot hold is damage too
    if (!Number.isSafeInteger(r.num) || r.num < 0 || !Number.isInteger(r.tid) || Math.abs(r.tid) > 2 ** 31) {
      this.rejects.push({ line: r.line, reason: SYSDIG_REASON.range, raw: r.raw });
      return;
    }
    const open = this.rows.pendingType(r.tid);
    let type = eventTypeOf(r.type, r.dir, r.info, r.dir === "<" && open >= 0 ? open + 1 : -1);
    let name: string | undefined;
    if (type < 0) {
      // a syscall without its own event: sysdig prints the generic event under the syscall's name
      type = r.dir === ">" ? 0 : 1;
      name = r.type === UNNAMED_PRINTED ? UNNAMED_SYSCALL : r.type;
    }
    const info = SCAP_EVENTS[type]!;
    if (!info.category.includes("SYSCALL")) {
      this.skipped[info.name] = (this.skipped[info.name] ?? 0) + 1;
      return;
    }
    const params: DecodedParam[] = [];
    if (name === undefined) {
      const printed = splitInfo(
        r.info,
        info.params.map((p) => p.name),
      );
      info.params.forEach((p, i) => {
        const text = printed.get(p.name);
        if (text !== undefined) params.push(printedParam(p, PARAM_KINDS[type]![i]!, text));
      });
    }
    const ts = BigInt.asUintN(64, r.ts ?? r.tod ?? 0n);
    const half = { num: r.num, tsHi: Number(ts >> 32n), tsLo: Number(ts & 0xffffffffn), type, params, name };
    if (this.rows.callOf(half) === null) {
      this.rejects.push({ line: r.line, reason: SYSDIG_REASON.noSyscall, raw: r.raw });
      return;
    }
    this.eventLines++;
    const prev = this.threads.get(r.tid);
    const container = r.containerId === null || r.containerId === "host" ? null : r.containerId;
    this.threads.set(r.tid, {
      pid: r.pid ?? prev?.pid ?? r.tid,
      comm: r.proc,
      containerId: container ?? prev?.containerId ?? null,
    });
    if (info.dir === "<") trackThread(this.threads, r.tid, info.name, params);
    const t = this.threads.get(r.tid)!;
    if (r.proc !== "") t.comm = r.proc;
    this.rows.add(r.tid, half);
  }
}
