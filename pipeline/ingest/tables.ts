/**
 * The counts of an ingest per capture and file, and what the dataset's tables say about each run
 * made from them: its `runs` row (accounting checked) and the capture's manifest entry. The
 * tables themselves are views rebuilt from the runs' commit records (pipeline/dataset/views.ts).
 */
import type { RunRow } from "../../schemas/runs.ts";
import type { ManifestInput } from "../dataset/record.ts";
import type { CaptureInput } from "./inputs.ts";
import type { SegmentStats } from "./tasks.ts";
import type { ImageCounts } from "../../stages/scap/image-split.ts";
import type { PhaseRule } from "../../stages/phase/boundary.ts";

export interface FileStats {
  name: string;
  bytes: number;
  storedBytes: number;
  /** sha256 of the whole stored file (filled in once its pieces are scanned). */
  fileSha256: string;
  replies: SegmentStats[];
}

export interface CaptureStats {
  capture: CaptureInput;
  /** what the files were read as: strace, scap, sysdig-text, sysdig-json. */
  format: string;
  files: FileStats[];
  /** rejects of the run, as Arrow IPC streams from the workers. */
  rejectsIpc: Uint8Array[];
  /**
   * Runs split off a host capture by container image: their rows and the event blocks that made
   * them. The counts of `files` include them; the capture's own row gets the rest.
   */
  images: ReadonlyMap<string, ImageCounts>;
  /** the rule that placed the run's phase boundary (stages/phase/boundary.ts). */
  phaseRule: PhaseRule;
}

/** One file's content hash: the sha256 of the whole stored file, however it was cut. */
export function fileHash(f: FileStats): string {
  return f.fileSha256;
}

function sumReplies(c: CaptureStats, f: (r: SegmentStats) => number): number {
  return c.files.reduce((n, file) => n + file.replies.reduce((m, r) => m + f(r), 0), 0);
}

/** What the events of a run give its row: time span, tasks and syscalls. */
export interface EventAgg {
  ts_first_ns: string | null;
  ts_last_ns: string | null;
  tasks: number;
  syscalls: number;
}

export const NO_EVENTS: EventAgg = { ts_first_ns: null, ts_last_ns: null, tasks: 0, syscalls: 0 };

/** The `runs` row of a capture's own run (without what went to split-off runs), accounting checked. */
export function ownRow(c: CaptureStats, agg: EventAgg): RunRow {
  const skipped: Record<string, number> = {};
  for (const f of c.files)
    for (const r of f.replies)
      for (const [k, v] of Object.entries(r.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
  const sortedSkipped = Object.fromEntries(Object.entries(skipped).sort(([a], [b]) => a.localeCompare(b)));
  const moved = (f: (x: ImageCounts) => number) => [...c.images.values()].reduce((n, x) => n + f(x), 0);
  const lines = sumReplies(c, (r) => r.lines) - moved((x) => x.eventLines);
  const eventLines = sumReplies(c, (r) => r.eventLines) - moved((x) => x.eventLines);
  const rejected = sumReplies(c, (r) => r.rejected);
  const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
  if (lines !== eventLines + rejected + skippedTotal) {
    throw new Error(
      `internal: ${c.capture.source}: ${lines} lines read but ${eventLines}+${rejected}+${skippedTotal} accounted`,
    );
  }
  return {
    image: c.capture.image,
    run: c.capture.run,
    source: c.capture.source,
    format: c.format,
    files: c.files.length,
    bytes: c.files.reduce((n, f) => n + f.bytes, 0),
    lines_read: lines,
    events: sumReplies(c, (r) => r.events) - moved((x) => x.events),
    event_lines: eventLines,
    rejected,
    skipped: skippedTotal,
    skipped_by_kind: JSON.stringify(sortedSkipped),
    unfinished_never_resumed:
      sumReplies(c, (r) => r.unfinishedNeverResumed) - moved((x) => x.unfinishedNeverResumed),
    labels: JSON.stringify(c.capture.labels),
    file_hashes: JSON.stringify(Object.fromEntries(c.files.map((f) => [f.name, fileHash(f)]))),
    phase_rule: c.phaseRule,
    spliced_calls: sumReplies(c, (r) => r.splicedCalls),
    unnamed_calls: sumReplies(c, (r) => r.unnamedCalls),
    ...agg,
  };
}

/**
 * The `runs` row of a run split off capture `c` by container image: only its event blocks. Files,
 * bytes, rejects and skips stay on the capture's own row, so sums over the table count each once.
 */
export function splitRow(c: CaptureStats, image: string, x: ImageCounts, agg: EventAgg): RunRow {
  return {
    image,
    run: c.capture.run,
    source: c.capture.source,
    format: c.format,
    files: 0,
    bytes: 0,
    lines_read: x.eventLines,
    events: x.events,
    event_lines: x.eventLines,
    rejected: 0,
    skipped: 0,
    skipped_by_kind: "{}",
    unfinished_never_resumed: x.unfinishedNeverResumed,
    labels: JSON.stringify(c.capture.labels),
    file_hashes: "{}",
    phase_rule: c.phaseRule,
    spliced_calls: 0,
    unnamed_calls: 0,
    ...agg,
  };
}

/** The capture's manifest entry. */
export function manifestInput(c: CaptureStats): ManifestInput {
  return {
    image: c.capture.image,
    run: c.capture.run,
    source: c.capture.source,
    format: c.format,
    labels: c.capture.labels,
    files: c.files.map((f) => ({ name: f.name, bytes: f.storedBytes, sha256: fileHash(f) })),
    ...(c.images.size > 0 ? { split_images: [...c.images.keys()] } : {}),
  };
}
