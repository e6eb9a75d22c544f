/**
 * The messages between the ingest orchestrator and its piscina workers: plain, cloneable data.
 * Results carry Arrow IPC bytes that are moved (transferred), not copied.
 */
import type { Marker } from "../../stages/phase/markers.ts";
import type { TaskChange, Timeline } from "../../stages/phase/timeline.ts";

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

export interface ScanTask {
  kind: "scan";
  piece: Piece;
  /** task id of an `-ff` file (from its name), or -1. */
  fileTid: number;
}

export interface ScanReply {
  lines: number;
  bytes: number;
  sha256: string;
  markers: Marker[];
  firstTsNs: number;
  firstTodNs: number;
  lastTodNs: number;
  sequentialOnly: boolean;
  /** the first bytes look like strace output (used by --format auto). */
  looksLikeStrace: boolean;
  /** first characters of the piece, for format detection messages. */
  head: string;
}

export interface ParseTask {
  kind: "parse";
  piece: Piece;
  fileTid: number;
  image: string;
  run: string;
  capture: string;
  firstLine: number;
  startDay: number;
  defaultState: TaskChange;
  timelines: Timeline[];
  /** where to write the Parquet part (written atomically). */
  outFile: string;
}

export interface ParseReply {
  lines: number;
  events: number;
  eventLines: number;
  rejected: number;
  skipped: Record<string, number>;
  unfinishedNeverResumed: number;
  /** rejects as Arrow IPC stream bytes (rejects schema), moved. */
  rejectsIpc: Uint8Array;
}

export type WorkerTask = ScanTask | ParseTask;
