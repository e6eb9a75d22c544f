/**
 * `sandmine ingest`: scan every piece of every capture for task markers (in parallel), resolve
 * each run's task timelines (phases, comm, thread groups), then parse the pieces into Parquet parts
 * (in parallel), and finally write the `runs`, `rejects` and `manifest.json` tables.
 */
import { existsSync, mkdirSync, renameSync, rmSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import type { Timeline } from "../../stages/phase/timeline.ts";
import { UsageError } from "../errors.ts";
import { createPool } from "../pool.ts";
import { Progress } from "../progress.ts";
import { detectFormat } from "./detect.ts";
import { partitionValue, type CaptureInput } from "./inputs.ts";
import { PIECE_BYTES, planPieces } from "./plan.ts";
import { writeTables, type CaptureStats, type FileStats } from "./tables.ts";
import { checkRejectShare, DEFAULT_MAX_REJECT_SHARE } from "./reject-share.ts";
import { resolveRuns } from "./resolve.ts";
import { groupUnits } from "./units.ts";
import { splitImages, staleSplits } from "./split.ts";
import type { FileWork } from "./file-work.ts";
import type { ParseSegment, Piece, ReplyMap, SegmentStats, WorkerTask } from "./tasks.ts";

export interface IngestOptions {
  captures: CaptureInput[];
  out: string;
  workers: number;
  /** architecture of the traced programs unless a capture says otherwise. */
  arch: string;
  /** replace runs that already exist in the dataset. */
  replace: boolean;
  quiet: boolean;
  /** size of the pieces plain files are cut into (default PIECE_BYTES). */
  pieceBytes?: number;
  /** custom `-p` format of sysdig text captures (e.g. LID-DS's). */
  sysdigFormat?: string;
  /** largest share of rejected lines a run may have (default DEFAULT_MAX_REJECT_SHARE). */
  maxRejectShare?: number;
}

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
  runs: CaptureStats[];
}

function partitionDir(root: string, c: { image: string; run: string }): string {
  return join(root, "events", `image=${partitionValue(c.image)}`, `run=${partitionValue(c.run)}`);
}

/** Runs the ingest; throws UsageError for bad input. */
export async function ingest(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const seen = new Set<string>();
  for (const c of opts.captures) {
    const key = `${c.image}\u0000${c.run}`;
    if (seen.has(key)) throw new UsageError(`run "${c.run}" of image "${c.image}" is given twice`);
    seen.add(key);
    if (existsSync(partitionDir(opts.out, c)) && !opts.replace) {
      throw new UsageError(
        `${opts.out}: run "${c.run}" of image "${c.image}" already exists (use --run to name it differently, or --replace)`,
      );
    }
  }
  // from sources (tests, tsx) the worker is worker.ts; in the bundle (out/build) it is worker.mjs
  const workerFile = import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.mjs";
  const pool = createPool<WorkerTask, ReplyMap>(new URL(workerFile, import.meta.url), opts.workers);
  const staging = join(opts.out, ".staging", String(process.pid));
  try {
    const work: FileWork[] = [];
    opts.captures.forEach((c, ci) =>
      c.files.forEach((f, fi) =>
        work.push({
          capture: ci,
          fileIndex: fi,
          tid: f.tid,
          name: f.name,
          pieces: planPieces(f.path, f.size, opts.pieceBytes),
          scans: [],
        }),
      ),
    );
    const timing = process.env.SANDMINE_TIMING
      ? (step: string) => {
          const m = process.memoryUsage();
          const mb = (x: number) => (x / 1048576).toFixed(0);
          process.stderr.write(
            `[timing] ${step} ${((performance.now() - t0) / 1000).toFixed(2)} s, main heap ${mb(m.heapTotal)} ` +
              `external ${mb(m.external)}, process rss ${mb(m.rss)} MB\n`,
          );
        }
      : () => {};
    timing("planned");
    const scanUnits = groupUnits(work, opts.pieceBytes ?? PIECE_BYTES);
    const scanProgress = new Progress("scan", scanUnits.length, opts.quiet);
    let scanned = 0;
    for (const w of work) w.scans = new Array(w.pieces.length);
    await Promise.all(
      scanUnits.map(async (unit) => {
        const segments = unit.map(({ w, k }) => ({ piece: w.pieces[k]!, fileTid: w.tid }));
        const replies = await pool.run({ kind: "scan", segments, sysdigFormat: opts.sysdigFormat });
        unit.forEach(({ w, k }, i) => (w.scans[k] = replies[i]!));
        scanProgress.update(++scanned);
      }),
    );
    for (const w of work) {
      const c = opts.captures[w.capture]!;
      detectFormat(c.files[w.fileIndex]!.path, c.format, w.scans[0]!);
      if (w.pieces.length > 1 && w.scans.some((s) => s.sequentialOnly)) {
        // calls split across lines or implicit pids: this file must be read in one go
        const whole: Piece = {
          ...w.pieces[0]!,
          byteEnd: w.pieces[w.pieces.length - 1]!.byteEnd,
          atEof: true,
        };
        w.pieces = [whole];
        w.scans = await pool.run({
          kind: "scan",
          segments: [{ piece: whole, fileTid: w.tid }],
          sysdigFormat: opts.sysdigFormat,
        });
      }
    }
    const { firstLines, startDays, timelines, defaults, phaseRules } = resolveRuns(
      work,
      opts.captures.length,
      opts.arch,
    );
    // parse
    timing("scanned");
    const parseUnits = groupUnits(work, opts.pieceBytes ?? PIECE_BYTES);
    const parseProgress = new Progress("parse", parseUnits.length, opts.quiet);
    let parsed = 0;
    let eventsSoFar = 0;
    const segmentStats = new Map<FileWork, SegmentStats[]>(work.map((w) => [w, new Array(w.pieces.length)]));
    const rejectsByCapture = opts.captures.map(() => [] as Uint8Array[]);
    const partIndex = opts.captures.map(() => 0);
    const owned = (w: FileWork): Timeline[] => {
      const tl = timelines[w.capture]!;
      return w.tid >= 0 ? (tl.has(w.tid) ? [tl.get(w.tid)!] : []) : [...tl.values()];
    };
    await Promise.all(
      parseUnits.map(async (unit) => {
        const ci = unit[0]!.w.capture;
        const c = opts.captures[ci]!;
        const outFile = join(
          partitionDir(staging, c),
          `part-${String(partIndex[ci]!++).padStart(5, "0")}.parquet`,
        );
        const segments: ParseSegment[] = unit.map(({ w, k }) => ({
          piece: w.pieces[k]!,
          fileTid: w.tid,
          capture: w.name,
          lonePid: w.scans[0]!.lonePid,
          firstLine: firstLines.get(w)![k]!,
          startDay: startDays.get(w)![k]!,
          timelines: owned(w),
          ...(!c.imageGiven && w.scans[0]!.containers ? { containers: w.scans[0]!.containers } : {}),
        }));
        const r = await pool.run({
          kind: "parse",
          image: c.image,
          run: c.run,
          defaultState: defaults[ci]!,
          segments,
          sysdigFormat: opts.sysdigFormat,
          outFile,
          eventsRoot: join(staging, "events"),
        });
        unit.forEach(({ w, k }, i) => (segmentStats.get(w)![k] = r.segments[i]!));
        rejectsByCapture[ci]!.push(r.rejectsIpc);
        eventsSoFar += r.segments.reduce((n, x) => n + x.events, 0);
        parseProgress.update(++parsed, `${eventsSoFar} events`);
      }),
    );
    checkRejectShare(opts.captures, work, segmentStats, opts.maxRejectShare ?? DEFAULT_MAX_REJECT_SHARE);
    // runs split off by container image: all checked before anything is published
    const images = splitImages(opts.captures, work, segmentStats);
    const derived = images.flatMap((list, ci) => [...list.keys()].map((image) => ({ ci, image })));
    for (const { ci, image } of derived) {
      const c = opts.captures[ci]!;
      if (existsSync(partitionDir(opts.out, { image, run: c.run })) && !opts.replace) {
        throw new UsageError(
          `${opts.out}: run "${c.run}" of image "${image}" (containers of ${c.source}) already exists (use --run, --image or --replace)`,
        );
      }
    }
    const stale = opts.replace ? staleSplits(opts.out, opts.captures, images) : [];
    for (const d of stale) rmSync(partitionDir(opts.out, d), { recursive: true, force: true });
    for (const { ci, image } of derived) {
      const d = { image, run: opts.captures[ci]!.run };
      const final = partitionDir(opts.out, d);
      rmSync(final, { recursive: true, force: true });
      mkdirSync(join(final, ".."), { recursive: true });
      renameSync(partitionDir(staging, d), final);
    }
    // publish partitions
    for (const c of opts.captures) {
      const final = partitionDir(opts.out, c);
      rmSync(final, { recursive: true, force: true });
      mkdirSync(join(final, ".."), { recursive: true });
      const staged = partitionDir(staging, c);
      if (existsSync(staged)) renameSync(staged, final);
      else mkdirSync(final, { recursive: true });
    }
    const stats: CaptureStats[] = opts.captures.map((c, ci) => ({
      capture: c,
      format: work.find((w) => w.capture === ci)?.scans[0]?.native ?? "strace",
      files: [] as FileStats[],
      rejectsIpc: rejectsByCapture[ci]!,
      images: images[ci]!,
      phaseRule: phaseRules[ci]!,
    }));
    for (const w of work) {
      const replies = segmentStats.get(w)!;
      const scanLines = w.scans.reduce((n, s) => n + s.lines, 0);
      const parseLines = replies.reduce((n, r) => n + r.lines, 0);
      if (scanLines !== parseLines) {
        throw new Error(`internal: ${w.name} scanned ${scanLines} lines but parsed ${parseLines}`);
      }
      stats[w.capture]!.files.push({
        name: w.name,
        bytes: w.scans.reduce((n, s) => n + s.bytes, 0),
        storedBytes: opts.captures[w.capture]!.files[w.fileIndex]!.size,
        sha256: w.scans.map((s) => s.sha256),
        replies,
      });
    }
    timing("parsed");
    await writeTables(opts.out, stats, stale);
    timing("tables written");
    const seconds = (performance.now() - t0) / 1000;
    const sum = (f: (r: SegmentStats) => number) =>
      [...segmentStats.values()].flat().reduce((n, r) => n + f(r), 0);
    const events = sum((r) => r.events);
    return {
      files: work.length,
      bytes: stats.flatMap((s) => s.files).reduce((n, f) => n + f.bytes, 0),
      lines: sum((r) => r.lines),
      events,
      rejected: sum((r) => r.rejected),
      skipped: sum((r) => Object.values(r.skipped).reduce((a, b) => a + b, 0)),
      seconds,
      eventsPerSecond: events / seconds,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      runs: stats,
    };
  } finally {
    await pool.destroy();
    rmSync(staging, { recursive: true, force: true });
    rmEmptyDir(join(opts.out, ".staging"));
  }
}

function rmEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another ingest is running) or already gone
  }
}
