/**
 * The piscina worker of `ingest`: scans pieces for markers, or parses a piece into an Arrow batch
 * and writes it as a Parquet part itself (so that both cores encode Parquet), returning counts and
 * the rejects as moved Arrow IPC bytes.
 */
import { createHash } from "node:crypto";
import type { Data } from "apache-arrow";
import { basename, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Piscina, transferableSymbol, valueSymbol } from "piscina";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { factsOf } from "../../stages/columns/part-facts.ts";
import { EVENTS_SCHEMA } from "../../schemas/events.ts";
import { ImageSplit, imagesOf } from "../../stages/scap/image-split.ts";
import { StraceParser } from "../../stages/strace/parser.ts";
import { scanBytes } from "../../stages/strace/scan.ts";
import { looksLikeStrace } from "../../stages/strace/sniff.ts";
import { writeAtomic } from "../atomic-write.ts";
import { eventsToParquet } from "../events-parquet.ts";
import { loadZstd } from "../zstd.ts";
import { partitionValue } from "./partitions.ts";
import { rejectsToIpc } from "./rejects-ipc.ts";
import { readPiece } from "./read-piece.ts";
import { parseScap, scanScap } from "./scap-task.ts";
import type { Reject } from "../../stages/strace/parser.ts";
import type { WorkerResult } from "../pool.ts";
import type {
  ParseReply,
  ParseTask,
  PartInfo,
  ReplyMap,
  ScanReply,
  ScanSegment,
  SegmentStats,
  WorkerTask,
} from "./tasks.ts";

/** What the worker answers for any task: the result of that task's kind. */
export type WorkerAnswer = { [K in WorkerTask["kind"]]: WorkerResult<ReplyMap[K]> }[WorkerTask["kind"]];

/**
 * A full collection costs ~100 ms here (measured: forcing one after every piece doubled the
 * ingest time), so a worker collects only when the process is above its memory budget; garbage
 * from earlier pieces otherwise piles up until V8 decides to collect.
 */
const RSS_BUDGET = Number(process.env.SANDMINE_RSS_BUDGET_MB ?? 0) * 1048576;
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as (options?: { type: "minor" | "major" }) => void;

function scanSegment(t: ScanSegment, sysdigFormat?: string): ScanReply {
  const scap = scanScap(t.piece, sysdigFormat);
  if (scap) return scap;
  const d = readPiece(t.piece, t.hash);
  // the text of the whole piece only for a file's first piece (format checks)
  const r = scanBytes(d.bytes, 1, t.fileTid);
  return {
    lines: r.lines,
    bytes: d.bytes.length,
    sha256: d.sha256,
    markers: r.markers,
    lonePid: r.lonePid,
    starts: r.starts,
    firstTsNs: r.firstTsNs,
    firstTodNs: r.firstTodNs,
    lastTodNs: r.lastTodNs,
    sequentialOnly: r.sequentialOnly,
    looksLikeStrace: t.piece.byteStart === 0 ? looksLikeStrace(d.text) : true,
    head: t.piece.byteStart === 0 ? d.text.slice(0, 200) : "",
  };
}

/**
 * One batch per worker, emptied for each task: its columns keep the capacity they grew to, so
 * pieces after the first allocate nothing for them (the Parquet part is written before the next
 * task starts).
 */
const reused = new EventBatch();

function parse(t: ParseTask): WorkerResult<ParseReply> {
  const t0 = performance.now();
  const batch = reused;
  batch.reset();
  /** rows of other images, when a scap capture is split by container image. */
  const others = new Map<string, EventBatch>();
  const stats: SegmentStats[] = [];
  const rejects: { file: string; rejects: Reject[] }[] = [];
  for (const seg of t.segments) {
    const split =
      seg.containers === undefined ? null : new ImageSplit(imagesOf(seg.containers), others, t.image);
    const scap = parseScap(seg.piece, seg.capture, t.defaultState, batch, t.sysdigFormat, split);
    if (scap) {
      stats.push(scap.stats);
      if (scap.rejects.length > 0) rejects.push({ file: seg.capture, rejects: scap.rejects });
      continue;
    }
    const d = readPiece(seg.piece, false);
    const parser = new StraceParser(
      {
        capture: seg.capture,
        fileTid: seg.fileTid,
        lonePid: seg.lonePid,
        firstLine: seg.firstLine,
        startDay: seg.startDay,
        defaultState: t.defaultState,
        timelines: new Map(seg.timelines.map((x) => [x.tid, x])),
        atEof: seg.piece.atEof,
      },
      batch,
    );
    const lines = parser.parseBytes(d.bytes, d.hasHighBytes);
    parser.finish();
    stats.push({
      lines,
      events: parser.events,
      eventLines: parser.eventLines,
      rejected: parser.rejects.length,
      skipped: parser.skips as Record<string, number>,
      unfinishedNeverResumed: parser.unfinishedNeverResumed,
      splicedCalls: parser.splicedCalls,
      unnamedCalls: parser.unnamedCalls,
      ...firstOf(parser.rejects),
    });
    if (parser.rejects.length > 0) rejects.push({ file: seg.capture, rejects: parser.rejects });
  }
  const t1 = performance.now();
  const parts: PartInfo[] = [];
  if (batch.length > 0) parts.push(writePart(batch, t.outFile));
  for (const [image, b] of others) {
    const dir = join(t.eventsRoot, `image=${partitionValue(image)}`, `run=${partitionValue(t.run)}`);
    parts.push(writePart(b, join(dir, basename(t.outFile))));
  }
  if (process.env.SANDMINE_TIMING) {
    const m = process.memoryUsage();
    const mb = (x: number) => (x / 1048576).toFixed(0);
    process.stderr.write(
      `[timing] ${t.segments.length} piece(s) from ${t.segments[0]?.piece.byteStart}: read+parse ${(t1 - t0).toFixed(0)} ms, write ${(performance.now() - t1).toFixed(0)} ms, ` +
        `heap ${mb(m.heapTotal)} external ${mb(m.external)} rss ${mb(m.rss)} MB\n`,
    );
  }
  const rejectsIpc = rejects.length === 0 ? noRejects().slice() : rejectsToIpc(t.image, t.run, rejects);
  const result: WorkerResult<ParseReply> = { ok: true, reply: { segments: stats, parts, rejectsIpc } };
  return moveWith(result, [rejectsIpc.buffer as ArrayBuffer]);
}

let emptyRejects: Uint8Array | null = null;

/**
 * The rejects stream of a task without rejects (the same bytes for every run: no rows), made once;
 * callers send a copy, as the reply's buffer is moved. Making it per task (eight column builders
 * and arrow-js's writer) was 1.5 % of a worker's time on the perf capture (measured).
 */
function noRejects(): Uint8Array {
  return (emptyRejects ??= rejectsToIpc("", "", []));
}

const TS = EVENTS_SCHEMA.fields.findIndex((f) => f.name === "ts_ns");
const TID = EVENTS_SCHEMA.fields.findIndex((f) => f.name === "tid");

// the Parquet writer's zstd, loaded with the worker (the first task waits for it; a top-level
// await broke loading the worker from sources under tsx)
let zstdReady = false;
const zstdLoading = loadZstd().then(() => {
  zstdReady = true;
});

/** Writes `b` as the Parquet part `file`; returns its size, hash and facts (so staging reads nothing back). */
function writePart(b: EventBatch, file: string): PartInfo {
  const columns = b.parquetColumns();
  const bytes = eventsToParquet(columns, b.length);
  writeAtomic(file, bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const data = (i: number) => (columns[i] as { data: Data }).data;
  return { file, bytes: bytes.length, sha256, ...factsOf(b, data(TS), data(TID)) };
}

/** The first reject of a segment (by line), as the stats carry it. */
function firstOf(rejects: readonly Reject[]): Pick<SegmentStats, "firstReject"> {
  if (rejects.length === 0) return {};
  const r = rejects.reduce((a, b) => (b.line < a.line ? b : a));
  return { firstReject: { line: r.line, reason: r.reason, raw: r.raw.slice(0, 120) } };
}

/** Wraps a reply so that piscina transfers `buffers` instead of copying them. */
function moveWith<T extends object>(value: T, buffers: ArrayBuffer[]): T {
  return Piscina.move({
    get [transferableSymbol]() {
      return buffers;
    },
    get [valueSymbol]() {
      return value;
    },
  }) as unknown as T;
}

/** Entry point: one task in, one result out. Errors come back as data (classes do not clone). */
/** The batch of the last task (an ingest in batches keeps its workers from batch to batch). */
let lastBatch: number | undefined;

export default function run(task: WorkerTask): WorkerAnswer | Promise<WorkerAnswer> {
  return zstdReady ? runTask(task) : zstdLoading.then(() => runTask(task));
}

function runTask(task: WorkerTask): WorkerAnswer {
  // one full collection per batch: without it each worker's dead pieces piled up from batch to
  // batch (RSS of a 1,000-capture ingest in batches of 100 grew 300 → 440 MB, measured)
  if (task.batch !== undefined && task.batch !== lastBatch) {
    if (lastBatch !== undefined) collect();
    lastBatch = task.batch;
  }
  try {
    if (task.kind === "scan")
      return { ok: true, reply: task.segments.map((s) => scanSegment(s, task.sysdigFormat)) };
    return parse(task);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  } finally {
    // The whole text of a file's first piece (format checks) is an external string (up to 2 MiB
    // outside the JS heap): V8 frees it only when the string object is collected, and a scan
    // allocates too little on the heap to trigger that soon (measured: ~64 MB of dead text per
    // worker). A young-generation collection frees it for ~1 ms. Other pieces are scanned in
    // windows on the heap (scanBytes).
    if (task.kind === "scan" && task.segments.some((s) => s.piece.byteStart === 0))
      collect({ type: "minor" });
    if (task.kind === "parse" && RSS_BUDGET > 0 && process.memoryUsage.rss() > RSS_BUDGET) collect();
  }
}
