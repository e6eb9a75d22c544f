/**
 * The sysdig side of the ingest worker: recognises by content (raw or gzip) a binary scap capture
 * or sysdig's text (`-p` default, `-pc`) or `-j` JSON output, and scans or parses it whole (scap
 * blocks cannot be cut at line starts, and sysdig events are joined per thread across the file).
 * Scap blocks, or printed events, are the "lines" of the accounting: lines = event lines +
 * rejected + skipped.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { constants, gunzipSync } from "node:zlib";
import type { TaskChange } from "../../stages/phase/timeline.ts";
import type { EventBatch } from "../../stages/columns/event-batch.ts";
import { SHB } from "../../stages/scap/block-ids.ts";
import { trackContainer, type ContainerInfo } from "../../stages/scap/containers.ts";
import type { ImageSplit } from "../../stages/scap/image-split.ts";
import { FilterScan } from "../../stages/scap/phases.ts";
import { GZIP_CORRUPT, inflate, isGzip } from "../../stages/scap/inflate.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import type { ScapReject } from "../../stages/scap/reader.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { SysdigParser } from "../../stages/sysdig/parser.ts";
import { parseJsonLines } from "../../stages/sysdig/json-lines.ts";
import { compileFormat, parseFormatLines } from "../../stages/sysdig/format-lines.ts";
import { parseTextLines } from "../../stages/sysdig/text-lines.ts";
import { sniff } from "./detect.ts";
import { readRange } from "./read-piece.ts";
import type { Piece, ScanReply, SegmentStats } from "./tasks.ts";

/** The first reject of a file, as the stats carry it. */
function firstReject(
  rejects: readonly { line: number; reason: string; raw: string }[],
): Pick<SegmentStats, "firstReject"> {
  const r = rejects[0];
  return r === undefined ? {} : { firstReject: { line: r.line, reason: r.reason, raw: r.raw.slice(0, 120) } };
}

type Native = "scap" | "sysdig-text" | "sysdig-json" | null;
/** A reject of a file: scap ones carry the byte offset, text ones only the line. */
export type FileReject = Omit<ScapReject, "offset"> & { offset?: number };

const nativeCache = new Map<string, Native>();

/**
 * Which sysdig format `file` (raw or gzip) holds, by content; null for other captures. With a
 * custom `-p` format (`--sysdig-format`), a file that is neither scap nor JSON is sysdig text.
 */
export function nativeFormat(file: string, lineFormat?: string): Native {
  const key = lineFormat === undefined ? file : `${file}\u0000${lineFormat}`;
  let r = nativeCache.get(key);
  if (r === undefined) {
    let head = readRange(file, 0, Math.min(statSync(file).size, 4096));
    if (isGzip(head)) {
      try {
        head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
      } catch {
        head = Buffer.alloc(0);
      }
    }
    const seen = sniff(head.toString("latin1"), false);
    if (head.length >= 4 && head.readUInt32LE(0) === SHB) r = "scap";
    else if (seen === "sysdig-json") r = seen;
    else if (lineFormat !== undefined) r = "sysdig-text";
    else r = seen === "sysdig-text" ? seen : null;
    nativeCache.set(key, r);
  }
  return r;
}

/** true when `file` (raw or gzip) starts with the scap section header magic. */
export function isScapFile(file: string): boolean {
  return nativeFormat(file) === "scap";
}

/** The bytes of `raw` (gunzipped when gzip); a damaged gzip stream is an error naming the file. */
function inflated(file: string, raw: Buffer): Buffer {
  try {
    return inflate(raw).bytes;
  } catch (e) {
    const m = (e as Error).message;
    throw m.startsWith(GZIP_CORRUPT) ? new Error(`${file}: ${m}`) : e;
  }
}

function sysdigText(piece: Piece): string {
  return inflated(piece.file, readRange(piece.file, 0, piece.byteEnd)).toString("utf8");
}

/** Scan reply of a scap piece, or null when the file is not scap. Later pieces ask for a whole-file read. */
export function scanScap(piece: Piece, lineFormat?: string): ScanReply | null {
  const native = nativeFormat(piece.file, lineFormat);
  if (native === null) return null;
  const base = {
    markers: [],
    lonePid: -1,
    starts: [],
    firstTsNs: -1,
    firstTodNs: -1,
    lastTodNs: -1,
    sequentialOnly: true,
    native,
  };
  const raw = readRange(piece.file, piece.byteStart, piece.byteEnd);
  const sha256 = createHash("sha256").update(raw).digest("hex");
  if (piece.byteStart > 0) {
    return { ...base, lines: 0, bytes: raw.length, sha256, looksLikeStrace: false, head: "" };
  }
  const bytes = inflated(piece.file, raw);
  if (native !== "scap") {
    const text = bytes.toString("utf8");
    const r =
      native === "sysdig-json"
        ? parseJsonLines(text)
        : lineFormat !== undefined
          ? parseFormatLines(text, compileFormat(lineFormat))
          : parseTextLines(text);
    const head = bytes.subarray(0, 200).toString("latin1");
    return {
      ...base,
      lines: r.records.length + r.rejects.length,
      bytes: bytes.length,
      sha256,
      looksLikeStrace: false,
      head,
    };
  }
  const containers = new Map<string, ContainerInfo>();
  const filter = new FilterScan();
  const stats = readScap(bytes, (ev) => {
    trackContainer(containers, ev);
    filter.event(ev);
  });
  return {
    ...base,
    // a filter load makes tasks start in `runtime` (the default state resolved from the markers)
    markers: filter.tid >= 0 ? [{ kind: "seccomp", tid: filter.tid, pos: 0 }] : [],
    ...(containers.size > 0 ? { containers: [...containers.values()] } : {}),
    lines: stats.lines,
    bytes: bytes.length,
    sha256,
    looksLikeStrace: false,
    head: bytes.subarray(0, 200).toString("latin1"),
  };
}

/**
 * Parses a whole scap file into `batch` (container rows into `split`'s batches when given), or
 * returns null when the file is not scap.
 */
export function parseScap(
  piece: Piece,
  capture: string,
  state: TaskChange,
  batch: EventBatch,
  lineFormat?: string,
  split: ImageSplit | null = null,
): { stats: SegmentStats; rejects: FileReject[] } | null {
  const native = nativeFormat(piece.file, lineFormat);
  if (native === null) return null;
  if (native !== "scap") {
    const custom = native === "sysdig-text" && lineFormat !== undefined ? { lineFormat } : {};
    const opts = { capture, arch: state.arch, phase: state.phase, format: native, ...custom };
    const p = new SysdigParser(opts, batch);
    if (piece.byteStart === 0) p.parse(sysdigText(piece));
    const stats = { lines: p.lines, events: p.events, eventLines: p.eventLines, rejected: p.rejects.length };
    return {
      stats: {
        ...stats,
        skipped: { ...p.skipped },
        unfinishedNeverResumed: p.unfinishedNeverResumed,
        splicedCalls: 0,
        unnamedCalls: 0,
        ...firstReject(p.rejects),
      },
      rejects: p.rejects,
    };
  }
  const parser = new ScapParser({ capture, arch: state.arch, phase: state.phase }, batch, split);
  if (piece.byteStart === 0) parser.parse(inflated(piece.file, readRange(piece.file, 0, piece.byteEnd)));
  const s = parser.stats;
  return {
    stats: {
      lines: s.lines,
      events: parser.events,
      eventLines: parser.eventLines,
      rejected: s.rejects.length,
      skipped: { ...s.skipped },
      unfinishedNeverResumed: parser.unfinishedNeverResumed,
      splicedCalls: 0,
      unnamedCalls: 0,
      ...firstReject(s.rejects),
      ...(split !== null && split.counts.size > 0 ? { images: Object.fromEntries(split.counts) } : {}),
    },
    rejects: s.rejects,
  };
}
