/**
 * Refuses inputs that are not captures before anything is published: a PATH none of whose lines
 * (or blocks) became an event is not a capture at all, and a run with more than the allowed share
 * of rejects is more likely the wrong file or a broken recording than a capture with a few
 * damaged lines. Both are usage errors naming the file, line and reason.
 */
import { UsageError } from "../errors.ts";
import type { FileWork } from "./file-work.ts";
import type { CaptureInput } from "./inputs.ts";
import type { SegmentStats } from "./tasks.ts";

/** Default for `--max-reject-share`. */
export const DEFAULT_MAX_REJECT_SHARE = 0.05;

interface Tally {
  lines: number;
  events: number;
  rejected: number;
  first: { file: string; line: number; reason: string; raw: string } | null;
}

/** Throws UsageError for the first capture that fails either check. */
export function checkRejectShare(
  captures: readonly CaptureInput[],
  work: readonly FileWork[],
  segmentStats: ReadonlyMap<FileWork, readonly SegmentStats[]>,
  maxShare: number,
): void {
  const tallies: Tally[] = captures.map(() => ({ lines: 0, events: 0, rejected: 0, first: null }));
  for (const w of work) {
    const t = tallies[w.capture]!;
    for (const r of segmentStats.get(w) ?? []) {
      t.lines += r.lines;
      t.events += r.events;
      t.rejected += r.rejected;
      if (r.firstReject && t.first === null) t.first = { file: w.name, ...r.firstReject };
    }
  }
  captures.forEach((c, ci) => {
    const t = tallies[ci]!;
    const where = t.first
      ? `${t.first.file}:${t.first.line}: ${t.first.reason}: ${JSON.stringify(t.first.raw)}`
      : "";
    if (t.events === 0 && t.rejected > 0) {
      throw new UsageError(
        `${c.source}: not a capture: none of its ${t.lines} lines parsed (first: ${where}); nothing was written`,
      );
    }
    const share = t.lines > 0 ? t.rejected / t.lines : 0;
    if (share > maxShare) {
      throw new UsageError(
        `${c.source}: ${t.rejected} of ${t.lines} lines rejected (${pct(share)} > --max-reject-share ${pct(maxShare)}; ` +
          `first: ${where}); nothing was written (raise --max-reject-share to ingest it anyway)`,
      );
    }
  });
}

function pct(x: number): string {
  return `${(100 * x).toFixed(x < 0.01 ? 2 : 1)}%`;
}
