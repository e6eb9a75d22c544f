/**
 * The messages between the ingest orchestrator and its piscina workers: plain, cloneable data.
 * Results carry Arrow IPC bytes that are moved (transferred), not copied.
 */
import type { Marker } from "../../stages/phase/markers.ts";
import type { TaskStart } from "../../stages/strace/task-starts.ts";
import type { TaskChange, Timeline } from "../../stages/phase/timeline.ts";
import type { ContainerInfo } from "../../stages/scap/containers.ts";
import type { ImageCounts } from "../../stages/scap/image-split.ts";
import type { PartFacts } from "../../stages/columns/part-facts.ts";
import type { Pool } from "../pool.ts";

/** A byte range of one capture file, aligned to line starts. */
export interface Piece {
  file: string;
  /** the file is gzip-compressed (whole file is one piece). */
  gzip: boolean;
  byteStart: number;
  byteEnd: number;
  /** the range reaches the end of the file. */
  atEof: boolean;
}

/** One piece to scan; several small files are scanned in one task. */
export interface ScanSegment {
  piece: Piece;
  /** task id of an `-ff` file (from its name), or -1. */
  fileTid: number;
  /**
   * hash the piece: only a file's only piece (its hash is the file's); a file cut into pieces is
   * hashed whole on the main thread, and its pieces' hashes were never used (0.56 CPU s of the
   * 703 MiB perf capture's scan, measured).
   */
  hash: boolean;
}

export interface ScanTask {
  kind: "scan";
  /** the ingest's batch of captures (ingest.ts): a worker collects its garbage when a new one starts */
  batch?: number;
  segments: ScanSegment[];
  /** custom sysdig `-p` format of text captures (`--sysdig-format`). */
  sysdigFormat?: string;
}

export interface ScanReply {
  lines: number;
  bytes: number;
  /** sha256 of the piece's stored bytes when the segment asked for it, else "". */
  sha256: string;
  markers: Marker[];
  /** first appearance of each task of a single-file capture (stages/strace/task-starts.ts). */
  starts: TaskStart[];
  /** the task of unprefixed lines in `strace -f` output without `-o`, or -1 (stages/strace/lone-tracee.ts). */
  lonePid: number;
  firstTsNs: number;
  firstTodNs: number;
  lastTodNs: number;
  sequentialOnly: boolean;
  /** the first bytes look like strace output (used by --format auto). */
  looksLikeStrace: boolean;
  /** first characters of the piece, for format detection messages. */
  head: string;
  /** the sysdig format the file was read as (scap, text, JSON), when it was one. */
  native?: "scap" | "sysdig-text" | "sysdig-json";
  /** containers a scap capture names (last word per id), for the split by image. */
  containers?: ContainerInfo[];
}

/** One piece to parse, with what it needs to be parsed on its own. */
export interface ParseSegment {
  piece: Piece;
  fileTid: number;
  capture: string;
  /** the scan's lone-tracee pid of the file (its first piece), or -1. */
  lonePid: number;
  firstLine: number;
  startDay: number;
  timelines: Timeline[];
  /** split a scap capture's rows by these containers' images (absent: all rows in the run's image). */
  containers?: ContainerInfo[];
}

/**
 * Parses one or more pieces of one run into a single Parquet part: big files are cut into pieces,
 * small files are packed together, so that neither a huge file nor hundreds of tiny ones make
 * unbalanced or tiny tasks.
 */
export interface ParseTask {
  kind: "parse";
  /** the ingest's batch of captures, as in ScanTask */
  batch?: number;
  image: string;
  run: string;
  defaultState: TaskChange;
  segments: ParseSegment[];
  /** custom sysdig `-p` format of text captures (`--sysdig-format`). */
  sysdigFormat?: string;
  /** where to write the Parquet part (written atomically). */
  outFile: string;
  /**
   * The `events` folder rows of other images go under (as `image=…/run=…/` + the part's file
   * name), when a segment is split by image.
   */
  eventsRoot: string;
}

/** Counts for one parsed segment. */
export interface SegmentStats {
  lines: number;
  events: number;
  eventLines: number;
  rejected: number;
  skipped: Record<string, number>;
  unfinishedNeverResumed: number;
  /** strace calls rejoined after the traced program's output cut their line. */
  splicedCalls: number;
  /** strace `???` calls with no number to name them by (kept as `syscall_unknown`). */
  unnamedCalls: number;
  /** the segment's first reject, for the error when a capture does not parse at all. */
  firstReject?: { line: number; reason: string; raw: string };
  /** the share of the counts above that went to other images (split scap captures). */
  images?: Record<string, ImageCounts>;
}

/** A Parquet part a parse task wrote: its path, size, hash and what its run's row needs from it. */
export interface PartInfo extends PartFacts {
  file: string;
  bytes: number;
  sha256: string;
}

export interface ParseReply {
  segments: SegmentStats[];
  /** the parts written (none when the task had no events). */
  parts: PartInfo[];
  /** rejects of all segments as Arrow IPC stream bytes (rejects schema), moved. */
  rejectsIpc: Uint8Array;
}

/** Every task the ingest workers run, told apart by `kind`. */
export type WorkerTask = ScanTask | ParseTask;

/** The reply of each task kind: a scan answers per segment, a parse for the whole part. */
export interface ReplyMap {
  scan: ScanReply[];
  parse: ParseReply;
}

/** The reply type of task `T` (`ReplyOf<ScanTask>` is `ScanReply[]`). */
export type ReplyOf<T extends WorkerTask> = ReplyMap[T["kind"]];

/** The pool of ingest workers (pipeline/ingest/worker.ts). */
export type IngestPool = Pool<WorkerTask, ReplyMap>;
