/**
 * Convenience for tests and small inputs: parses a whole strace text (one task timeline set) and
 * returns the events as plain rows, with the rejects and skip counts.
 */
import { EventBatch } from "../columns/event-batch.ts";
import type { TaskChange, Timeline } from "../phase/timeline.ts";
import { StraceParser, type Reject, type SkipCounts } from "./parser.ts";

/** Options of parseStraceText; all optional. */
export interface ParseTextOptions {
  capture?: string;
  fileTid?: number;
  arch?: string;
  timelines?: Timeline[];
  defaultState?: TaskChange;
}

export interface ParsedText {
  rows: Record<string, unknown>[];
  rejects: Reject[];
  skips: SkipCounts;
  lines: number;
  eventLines: number;
}

/** Parses `text` (a JS string; it is treated as UTF-8 bytes) into rows. */
export function parseStraceText(text: string, o: ParseTextOptions = {}): ParsedText {
  const latin1 = Buffer.from(text, "utf8").toString("latin1");
  const batch = new EventBatch();
  const parser = new StraceParser(
    {
      capture: o.capture ?? "capture",
      fileTid: o.fileTid ?? -1,
      firstLine: 1,
      startDay: 0,
      defaultState: o.defaultState ?? {
        pos: -Infinity,
        phase: "unknown",
        comm: null,
        arch: o.arch ?? "x86_64",
      },
      timelines: new Map((o.timelines ?? []).map((t) => [t.tid, t])),
      atEof: true,
    },
    batch,
  );
  const lines = parser.parseText(latin1, /[\x80-\xff]/.test(latin1));
  parser.finish();
  const rb = batch.toRecordBatch();
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < rb.numRows; i++) rows.push({ ...(rb.get(i)!.toJSON() as Record<string, unknown>) });
  return { rows, rejects: parser.rejects, skips: parser.skips, lines, eventLines: parser.eventLines };
}
