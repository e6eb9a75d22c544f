/**
 * The scap parser: hands each syscall event of a capture to the row builder (one `events` row per
 * call, scap-rows.ts), and accounts for every block: a row, a reject (also an event that
 * names no system call of the architecture), or a skip by kind (procinfo, switch, drop, container, …).
 */
import { SCAP_EVENTS } from "../../schemas/generated/scap-events.ts";
import type { EventBatch } from "../columns/event-batch.ts";
import { trackContainer } from "./containers.ts";
import { decodeParam, type DecodedParam } from "./decoded-param.ts";
import { FdTables } from "./fd-table.ts";
import type { ImageSplit } from "./image-split.ts";
import { EVENT_REASON, type ScapEvent } from "./event.ts";
import { ScapReadStats, hexAt, readScap } from "./reader.ts";
import { ScapRows } from "./scap-rows.ts";
import { TRACKED_CALLS, trackThread } from "./threads.ts";

/** Options fixed for one capture file. */
export interface ScapParseOptions {
  capture: string;
  /** architecture of the recorded host (scap files do not say). */
  arch: string;
  phase: string;
}

const IS_SYSCALL = SCAP_EVENTS.map((e) => e.category.includes("SYSCALL"));
/** exit events that update the thread table (their parameters are decoded to objects for it). */
const TRACKS = SCAP_EVENTS.map((e) => e.dir === "<" && TRACKED_CALLS.has(e.name));

/** Parses a whole capture into `batch`; counts and rejects are on the instance. */
export class ScapParser {
  readonly stats = new ScapReadStats();
  /** blocks that became (part of) a row. */
  eventLines = 0;
  private readonly rows: ScapRows;

  /** `split`: routes container rows to their image's batch (null: every row to `batch`). */
  private readonly arch: string;

  constructor(opts: ScapParseOptions, batch: EventBatch, split: ImageSplit | null = null) {
    this.arch = opts.arch;
    const fds = new FdTables(this.stats.threads);
    this.stats.fdlist = (pid, fd, text, cloexec) => fds.listed(pid, fd, text, cloexec);
    this.rows = new ScapRows({ ...opts, format: "scap" }, batch, this.stats.threads, split, fds);
  }

  /** Rows written. */
  get events(): number {
    return this.rows.events;
  }

  /** Enter events whose exit never came. */
  get unfinishedNeverResumed(): number {
    return this.rows.unfinishedNeverResumed;
  }

  /** Lines skipped (non-event blocks and non-syscall events), by kind. */
  get skipped(): Record<string, number> {
    return this.stats.skipped;
  }

  /** Reads `raw` (gzip or plain scap) to the end. */
  parse(raw: Buffer): void {
    readScap(raw, (ev, num, line, offset) => this.event(ev, num, line, offset), this.stats);
    this.rows.finish();
  }

  private event(ev: ScapEvent, num: number, line: number, offset: number): void {
    const info = SCAP_EVENTS[ev.type]!;
    if (!IS_SYSCALL[ev.type]) {
      trackContainer(this.stats.containers, ev);
      this.stats.skip(info.name === "NA" ? "unused_event_type" : info.name);
      return;
    }
    const call = this.rows.callOf(ev);
    if (call === null) {
      // e.g. a 32-bit event (mmap2, socketcall's send) in a capture read as x86_64
      const detail = `event type ${ev.type} (${info.name} ${info.dir}) on ${this.arch}`;
      this.stats.rejects.push({
        line,
        offset,
        reason: EVENT_REASON.noSyscall,
        raw: `${detail}; bytes ${hexAt(ev.buf, offset)}`,
      });
      return;
    }
    this.eventLines++;
    if (TRACKS[ev.type]) {
      const params: DecodedParam[] = [];
      for (let i = 0; i < ev.nparams; i++) params.push(decodeParam(ev, i, info.params[i]!));
      trackThread(this.stats.threads, ev.tid, info.name, params);
    }
    this.rows.add(ev, num, call);
  }
}
