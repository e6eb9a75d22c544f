/**
 * The scap side of the ingest worker: recognises a scap capture by content (raw or gzip), and scans
 * or parses it whole (a scap file is one piece: blocks cannot be cut at line starts). Its blocks
 * are the "lines" of the accounting: lines = event lines + rejected + skipped.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { constants, gunzipSync } from "node:zlib";
import type { TaskChange } from "../../stages/phase/timeline.ts";
import type { EventBatch } from "../../stages/columns/event-batch.ts";
import { SHB } from "../../stages/scap/block-ids.ts";
import { inflate, isGzip } from "../../stages/scap/inflate.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import type { ScapReject } from "../../stages/scap/reader.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { readRange } from "./read-piece.ts";
import type { Piece, ScanReply } from "./tasks.ts";

/** The counts of one parsed scap file, in the shape of the worker's per-piece stats. */
export interface ScapFileStats {
  lines: number;
  events: number;
  eventLines: number;
  rejected: number;
  skipped: Record<string, number>;
  unfinishedNeverResumed: number;
}

const isScapCache = new Map<string, boolean>();

/** true when `file` (raw or gzip) starts with the scap section header magic. */
export function isScapFile(file: string): boolean {
  let r = isScapCache.get(file);
  if (r === undefined) {
    let head = readRange(file, 0, Math.min(statSync(file).size, 4096));
    if (isGzip(head)) {
      try {
        head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
      } catch {
        head = Buffer.alloc(0);
      }
    }
    r = head.length >= 4 && head.readUInt32LE(0) === SHB;
    isScapCache.set(file, r);
  }
  return r;
}

/** Scan reply of a scap piece, or null when the file is not scap. Later pieces ask for a whole-file read. */
export function scanScap(piece: Piece): ScanReply | null {
  if (!isScapFile(piece.file)) return null;
  const base = { markers: [], firstTsNs: -1, firstTodNs: -1, lastTodNs: -1, sequentialOnly: true };
  const raw = readRange(piece.file, piece.byteStart, piece.byteEnd);
  const sha256 = createHash("sha256").update(raw).digest("hex");
  if (piece.byteStart > 0) {
    return { ...base, lines: 0, bytes: raw.length, sha256, looksLikeStrace: false, head: "" };
  }
  const { bytes } = inflate(raw);
  const stats = readScap(raw, () => {});
  return {
    ...base,
    lines: stats.lines,
    bytes: bytes.length,
    sha256,
    looksLikeStrace: false,
    head: bytes.subarray(0, 200).toString("latin1"),
  };
}

/** Parses a whole scap file into `batch`, or returns null when the file is not scap. */
export function parseScap(
  piece: Piece,
  capture: string,
  state: TaskChange,
  batch: EventBatch,
): { stats: ScapFileStats; rejects: ScapReject[] } | null {
  if (!isScapFile(piece.file)) return null;
  const parser = new ScapParser({ capture, arch: state.arch, phase: state.phase }, batch);
  if (piece.byteStart === 0) parser.parse(readRange(piece.file, 0, piece.byteEnd));
  const s = parser.stats;
  return {
    stats: {
      lines: s.lines,
      events: parser.events,
      eventLines: parser.eventLines,
      rejected: s.rejects.length,
      skipped: { ...s.skipped },
      unfinishedNeverResumed: parser.unfinishedNeverResumed,
    },
    rejects: s.rejects,
  };
}
