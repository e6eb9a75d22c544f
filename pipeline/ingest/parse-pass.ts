/**
 * The parse pass of an ingest: each task (pieces of one run, grouped as in the scan pass) is
 * parsed by a worker into one Parquet part under the staging folder, with the line bases, day
 * offsets and task timelines resolved from the scans.
 */
import { join } from "node:path";
import type { Timeline } from "../../stages/phase/timeline.ts";
import { Progress } from "../progress.ts";
import type { FileWork } from "./file-work.ts";
import type { CaptureInput } from "./inputs.ts";
import { killPoint } from "../dataset/crash.ts";
import { rawPartName } from "./canonical.ts";
import { partitionDir } from "./partitions.ts";
import type { Resolved } from "./resolve.ts";
import type { IngestPool, ParseSegment, PartInfo, SegmentStats } from "./tasks.ts";
import { parseUnits, type PieceRef } from "./units.ts";

export interface ParseOptions {
  pieceBytes: number;
  sysdigFormat: string | undefined;
  quiet: boolean;
  /** the ingest's staging folder: parts are written under its `raw/events/`. */
  staging: string;
}

export interface Parsed {
  /** per file, the counts of each of its pieces. */
  segmentStats: Map<FileWork, SegmentStats[]>;
  /** per capture, its rejects as Arrow IPC streams (one per task, in task order). */
  rejectsByCapture: Uint8Array[][];
  /** every Parquet part the workers wrote, by path. */
  parts: Map<string, PartInfo>;
}

/** Parses every piece of `work` into staged Parquet parts; throws UsageError for bad input. */
export async function parsePass(
  pool: IngestPool,
  work: readonly FileWork[],
  captures: readonly CaptureInput[],
  resolved: Resolved,
  o: ParseOptions,
): Promise<Parsed> {
  const units = parseUnits(work, o.pieceBytes);
  const progress = new Progress("parse", units.length, o.quiet);
  let parsed = 0;
  let eventsSoFar = 0;
  const segmentStats = new Map<FileWork, SegmentStats[]>(work.map((w) => [w, new Array(w.pieces.length)]));
  const rejectsByCapture = captures.map(() => [] as Uint8Array[]);
  const partIndex = captures.map(() => 0);
  const parts = new Map<string, PartInfo>();
  // units left per capture: a capture is finished (for the job's progress) when its last one is
  const left = captures.map(() => 0);
  for (const u of units) left[u.refs[0]!.w.capture]!++;
  let finished = 0;
  await Promise.all(
    units.map(async ({ refs: unit, canon, sub }) => {
      const ci = unit[0]!.w.capture;
      const c = captures[ci]!;
      // numbered before the first await: part names (and the order of the rejects) follow the
      // unit order, not completion order
      const index = partIndex[ci]!++;
      const outFile = join(partitionDir(join(o.staging, "raw"), c), rawPartName(canon, sub));
      const r = await pool.run({
        kind: "parse",
        image: c.image,
        run: c.run,
        defaultState: resolved.defaults[ci]!,
        segments: segmentsOf(unit, c, resolved),
        sysdigFormat: o.sysdigFormat,
        outFile,
        eventsRoot: join(o.staging, "raw", "events"),
      });
      unit.forEach(({ w, k }, i) => (segmentStats.get(w)![k] = r.segments[i]!));
      rejectsByCapture[ci]![index] = r.rejectsIpc;
      for (const p of r.parts) parts.set(p.file, p);
      killPoint("parse");
      eventsSoFar += r.segments.reduce((n, x) => n + x.events, 0);
      if (--left[ci]! === 0) finished++;
      progress.update(++parsed, `${eventsSoFar} events`, { finished, events: eventsSoFar });
    }),
  );
  return { segmentStats, rejectsByCapture, parts };
}

/** The segments of one task: each piece with what it needs to be parsed on its own. */
function segmentsOf(unit: readonly PieceRef[], c: CaptureInput, resolved: Resolved): ParseSegment[] {
  const owned = (w: FileWork): Timeline[] => {
    const tl = resolved.timelines[w.capture]!;
    return w.tid >= 0 ? (tl.has(w.tid) ? [tl.get(w.tid)!] : []) : [...tl.values()];
  };
  return unit.map(({ w, k }) => ({
    piece: w.pieces[k]!,
    fileTid: w.tid,
    capture: w.name,
    lonePid: w.scans[0]!.lonePid,
    firstLine: resolved.firstLines.get(w)![k]!,
    startDay: resolved.startDays.get(w)![k]!,
    timelines: owned(w),
    ...(!c.imageGiven && w.scans[0]!.containers ? { containers: w.scans[0]!.containers } : {}),
  }));
}
