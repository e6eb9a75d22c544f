/**
 * After the scan pass: each piece's first line number and day offset within its file, and each
 * run's task timelines (markers moved to file coordinates, pid namespaces translated).
 */
import { inferBoundary, type PhaseRule } from "../../stages/phase/boundary.ts";
import type { Marker } from "../../stages/phase/markers.ts";
import { translatePidNamespaces } from "../../stages/phase/pidns.ts";
import { resolveTimelines, type TaskChange, type Timeline } from "../../stages/phase/timeline.ts";
import type { FileWork } from "./file-work.ts";

const HALF_DAY_NS = 12 * 3600 * 1e9;

export interface Resolved {
  /** per file, the line number of each piece's first line. */
  firstLines: Map<FileWork, number[]>;
  /** per file, the `-tt` day offset in force at each piece's first line. */
  startDays: Map<FileWork, number[]>;
  /** per capture, the timeline of every task with markers. */
  timelines: Map<number, Timeline>[];
  /** per capture, the state of tasks without a timeline. */
  defaults: TaskChange[];
  /** per capture, the rule that placed the phase boundary. */
  phaseRules: PhaseRule[];
}

/** Resolves line bases, day offsets and timelines for `captures` runs from the scans in `work`. */
export function resolveRuns(work: readonly FileWork[], captures: number, arch: string): Resolved {
  const firstLines = new Map<FileWork, number[]>();
  const startDays = new Map<FileWork, number[]>();
  const markersByCapture = Array.from({ length: captures }, () => [] as Marker[]);
  for (const w of work) {
    const fl: number[] = [];
    const days: number[] = [];
    let line = 1;
    let day = 0;
    w.scans.forEach((s, k) => {
      if (k > 0) {
        // a -tt clock that went back by more than half a day crossed midnight
        const prev = w.scans[k - 1]!;
        if (prev.firstTodNs >= 0 && prev.lastTodNs >= 0 && prev.lastTodNs < prev.firstTodNs - HALF_DAY_NS)
          day++;
        if (s.firstTodNs >= 0 && prev.lastTodNs >= 0 && s.firstTodNs < prev.lastTodNs - HALF_DAY_NS) day++;
      }
      fl.push(line);
      days.push(day);
      for (const m of s.markers)
        markersByCapture[w.capture]!.push({ ...m, pos: m.pos === 0 ? 0 : m.pos + line - 1 });
      line += s.lines;
    });
    firstLines.set(w, fl);
    startDays.set(w, days);
  }
  const phaseRules: PhaseRule[] = [];
  const timelines = markersByCapture.map((found, ci) => {
    const starts = new Map<number, number>();
    for (const w of work) {
      if (w.capture !== ci) continue;
      if (w.tid >= 0) starts.set(w.tid, w.scans[0]!.firstTsNs);
      // single-file captures: each task's first line (pieces in file order, so the first wins)
      else for (const s of w.scans) for (const t of s.starts) if (!starts.has(t.tid)) starts.set(t.tid, t.ts);
    }
    const boundary = inferBoundary(translatePidNamespaces(found, starts));
    phaseRules[ci] = boundary.rule;
    markersByCapture[ci] = boundary.markers;
    return resolveTimelines(starts.keys(), boundary.markers, arch);
  });
  const defaults: TaskChange[] = markersByCapture.map((markers) => ({
    pos: -Infinity,
    phase: markers.some((m) => m.kind === "seccomp") ? "runtime" : "unknown",
    comm: null,
    arch,
  }));
  return { firstLines, startDays, timelines, defaults, phaseRules };
}
