/**
 * What an ingest found: per run the counts the tables are written from (each file's scan and parse
 * replies, checked against each other), and the totals `sandmine ingest` prints.
 */
import type { PhaseRule } from "../../stages/phase/boundary.ts";
import type { ImageCounts } from "../../stages/scap/image-split.ts";
import type { FileWork } from "./file-work.ts";
import type { CaptureInput } from "./inputs.ts";
import type { Parsed } from "./parse-pass.ts";
import type { CaptureStats } from "./tables.ts";
import type { SegmentStats } from "./tasks.ts";

export interface IngestSummary {
  files: number;
  bytes: number;
  lines: number;
  events: number;
  rejected: number;
  skipped: number;
  seconds: number;
  eventsPerSecond: number;
  peakRssBytes: number;
  /** the captures ingested and committed (with the runs split off them). */
  runs: CaptureStats[];
  /**
   * Captures skipped because the dataset already holds their run committed with the same content
   * key (a re-run after a kill, a manifest ingested again, or another ingest of the same capture).
   */
  unchanged: { image: string; run: string; source: string }[];
  /** per image (sorted by name): what this ingest committed to it and what it skipped as unchanged. */
  images: ImageSummary[];
}

/** One image's part of an ingest. */
export interface ImageSummary {
  image: string;
  /** runs committed (a capture's runs split off by container count for their own images) */
  runs: number;
  files: number;
  bytes: number;
  events: number;
  rejected: number;
  /** runs skipped: committed before with the same content */
  unchanged: number;
}

/** The per-image totals of `runs` and `unchanged`. */
export function imageSummaries(
  runs: readonly CaptureStats[],
  unchanged: IngestSummary["unchanged"],
): ImageSummary[] {
  const by = new Map<string, ImageSummary>();
  const of = (image: string): ImageSummary => {
    let x = by.get(image);
    if (!x) {
      x = { image, runs: 0, files: 0, bytes: 0, events: 0, rejected: 0, unchanged: 0 };
      by.set(image, x);
    }
    return x;
  };
  for (const r of runs) {
    const replies = r.files.flatMap((f) => f.replies);
    const moved = [...r.images.values()].reduce((n, x) => n + x.events, 0);
    const x = of(r.capture.image);
    x.runs++;
    x.files += r.files.length;
    x.bytes += r.files.reduce((n, f) => n + f.bytes, 0);
    x.events += replies.reduce((n, y) => n + y.events, 0) - moved;
    x.rejected += replies.reduce((n, y) => n + y.rejected, 0);
    for (const [image, counts] of r.images) {
      const y = of(image);
      y.runs++;
      y.events += counts.events;
    }
  }
  for (const u of unchanged) of(u.image).unchanged++;
  return [...by.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
}

/** The stats of each capture; throws (internal) when a file's scan and parse counted other lines. */
export function captureStats(
  captures: readonly CaptureInput[],
  work: readonly FileWork[],
  parsed: Parsed,
  images: readonly ReadonlyMap<string, ImageCounts>[],
  phaseRules: readonly PhaseRule[],
  /** sha256 of each file cut into several pieces (the others' one piece hash is the file's). */
  wholeHashes: ReadonlyMap<FileWork, string>,
): CaptureStats[] {
  const stats: CaptureStats[] = captures.map((c, ci) => ({
    capture: c,
    format: work.find((w) => w.capture === ci)?.scans[0]?.native ?? "strace",
    files: [],
    rejectsIpc: parsed.rejectsByCapture[ci]!,
    images: images[ci]!,
    phaseRule: phaseRules[ci]!,
  }));
  for (const w of work) {
    const replies = parsed.segmentStats.get(w)!;
    const scanLines = w.scans.reduce((n, s) => n + s.lines, 0);
    const parseLines = replies.reduce((n, r) => n + r.lines, 0);
    if (scanLines !== parseLines) {
      throw new Error(`internal: ${w.name} scanned ${scanLines} lines but parsed ${parseLines}`);
    }
    stats[w.capture]!.files.push({
      name: w.name,
      bytes: w.scans.reduce((n, s) => n + s.bytes, 0),
      storedBytes: captures[w.capture]!.files[w.fileIndex]!.size,
      fileSha256: w.pieces.length === 1 ? w.scans[0]!.sha256 : wholeHashes.get(w)!,
      replies,
    });
  }
  return stats;
}

/** What the files of the committed captures held, summed: kept per batch, the files dropped. */
export interface Totals {
  files: number;
  lines: number;
  events: number;
  rejected: number;
  skipped: number;
}

export const NO_TOTALS: Totals = { files: 0, lines: 0, events: 0, rejected: 0, skipped: 0 };

/** `into` plus the counts of every file of `work`. */
export function addTotals(
  into: Totals,
  work: readonly FileWork[],
  segmentStats: ReadonlyMap<FileWork, readonly SegmentStats[]>,
): Totals {
  const replies = work.flatMap((w) => segmentStats.get(w) ?? []);
  const sum = (f: (r: SegmentStats) => number) => replies.reduce((n, r) => n + f(r), 0);
  return {
    files: into.files + work.length,
    lines: into.lines + sum((r) => r.lines),
    events: into.events + sum((r) => r.events),
    rejected: into.rejected + sum((r) => r.rejected),
    skipped: into.skipped + sum((r) => Object.values(r.skipped).reduce((a, b) => a + b, 0)),
  };
}

/** The totals over every file, with the time since `t0` (a `performance.now()`). */
export function summarise(
  totals: Totals,
  stats: CaptureStats[],
  t0: number,
  unchanged: IngestSummary["unchanged"],
): IngestSummary {
  const seconds = (performance.now() - t0) / 1000;
  return {
    files: totals.files,
    bytes: stats.flatMap((s) => s.files).reduce((n, f) => n + f.bytes, 0),
    lines: totals.lines,
    events: totals.events,
    rejected: totals.rejected,
    skipped: totals.skipped,
    seconds,
    eventsPerSecond: totals.events / seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    runs: stats,
    unchanged,
    images: imageSummaries(stats, unchanged),
  };
}
