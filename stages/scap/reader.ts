/**
 * Streams a scap capture (raw or gzip) block by block: metadata blocks feed the thread table,
 * event blocks are decoded and handed to a visitor, and damaged or unknown blocks are counted or
 * rejected with their byte offset (in the decompressed stream), never fatal. A damaged gzip stream
 * is an error (inflate.ts).
 */
import { BLOCK_KINDS, EVENT_LAYOUTS, PROCLIST_VERSIONS } from "./block-ids.ts";
import { walkBlocks } from "./blocks.ts";
import { ScapEvent, decodeEvent } from "./event.ts";
import { inflate } from "./inflate.ts";
import type { ContainerInfo } from "./containers.ts";
import { readFdlist, type FdListSink } from "./fdlist.ts";
import { readProclist, type ThreadInfo } from "./proclist.ts";

/** A block (or byte range) that could not be read. */
export interface ScapReject {
  /** 1-based position of the block among all blocks and rejects ("line" of the accounting). */
  line: number;
  /** byte offset in the (decompressed) scap stream. */
  offset: number;
  reason: string;
  /** detail and the first bytes in hex. */
  raw: string;
}

/**
 * Receives each decoded event with its 1-based event number (sysdig's evt.num), its line of the
 * accounting and the byte offset of its block.
 */
export type EventVisitor = (ev: ScapEvent, num: number, line: number, offset: number) => void;

/** What reading a capture produced besides the events. */
export class ScapReadStats {
  /** blocks + rejects: the "lines" of this capture. */
  lines = 0;
  readonly rejects: ScapReject[] = [];
  /** non-event blocks and undecodable events skipped, by kind. */
  readonly skipped: Record<string, number> = {};
  readonly threads = new Map<number, ThreadInfo>();
  /** containers by id, from the `container` meta-events (filled by the parser). */
  readonly containers = new Map<string, ContainerInfo>();
  sections = 0;
  /** receives the fd list blocks' descriptors (set by the parser; null: not read). */
  fdlist: FdListSink | null = null;
  skip(kind: string): void {
    this.skipped[kind] = (this.skipped[kind] ?? 0) + 1;
  }
}

/** The first 32 bytes at `at`, in hex (the `raw` of a reject). */
export function hexAt(buf: Buffer, at: number): string {
  return buf.subarray(at, Math.min(buf.length, at + 32)).toString("hex");
}

/** Reads a whole capture; calls `visit` for every decodable event, in file order. */
export function readScap(
  raw: Buffer,
  visit: EventVisitor,
  stats: ScapReadStats = new ScapReadStats(),
): ScapReadStats {
  const { bytes } = inflate(raw);
  const ev = new ScapEvent();
  let num = 0;
  const reject = (offset: number, reason: string, detail: string): void => {
    stats.rejects.push({
      line: ++stats.lines,
      offset,
      reason,
      raw: `${detail}; bytes ${hexAt(bytes, offset)}`,
    });
  };
  walkBlocks(bytes, {
    reject,
    block(type, offset, length) {
      const line = ++stats.lines;
      const layout = EVENT_LAYOUTS.get(type);
      if (layout !== undefined) {
        const r = decodeEvent(bytes, offset + 8, offset + length - 4, layout, ev);
        if (r === null) visit(ev, ++num, line, offset);
        else if (r === "unknown") {
          num++;
          stats.skip("unknown_event_type");
        } else {
          stats.lines--;
          reject(offset, r, `event type ${ev.type}`);
        }
        return;
      }
      const kind = BLOCK_KINDS.get(type);
      if (kind === undefined) stats.skip("unknown_block");
      else stats.skip(kind);
      if (kind === "shb") stats.sections++;
      const v = PROCLIST_VERSIONS.get(type);
      if (v !== undefined) readProclist(bytes, offset + 8, offset + length - 4, v, stats.threads);
      else if (kind === "fdlist" && stats.fdlist !== null)
        readFdlist(bytes, offset + 8, offset + length - 4, type === 0x218, stats.fdlist);
    },
  });
  return stats;
}
