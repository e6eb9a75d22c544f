/**
 * The scan pass of an ingest: every piece is scanned for task markers in parallel, then each
 * file's format is checked from its first piece, and a cut file that must be read in one go
 * (calls split across lines, implicit pids, sysdig formats) is scanned again whole.
 */
import { killPoint } from "../dataset/crash.ts";
import { Progress } from "../progress.ts";
import { detectFormat } from "./detect.ts";
import type { FileWork } from "./file-work.ts";
import type { CaptureInput } from "./inputs.ts";
import type { IngestPool, Piece } from "./tasks.ts";
import { groupUnits } from "./units.ts";

export interface ScanOptions {
  pieceBytes: number;
  sysdigFormat: string | undefined;
  quiet: boolean;
}

/** Fills `w.scans` of every file of `work` (one reply per piece); throws UsageError for bad input. */
export async function scanPass(
  pool: IngestPool,
  work: readonly FileWork[],
  captures: readonly CaptureInput[],
  o: ScanOptions,
): Promise<void> {
  const units = groupUnits(work, o.pieceBytes);
  const progress = new Progress("scan", units.length, o.quiet);
  let scanned = 0;
  for (const w of work) w.scans = new Array(w.pieces.length);
  await Promise.all(
    units.map(async (unit) => {
      const segments = unit.map(({ w, k }) => ({
        piece: w.pieces[k]!,
        fileTid: w.tid,
        hash: w.pieces.length === 1,
      }));
      const replies = await pool.run({ kind: "scan", segments, sysdigFormat: o.sysdigFormat });
      unit.forEach(({ w, k }, i) => (w.scans[k] = replies[i]!));
      killPoint("scan");
      progress.update(++scanned);
    }),
  );
  for (const w of work) {
    const c = captures[w.capture]!;
    detectFormat(c.files[w.fileIndex]!.path, c.format, w.scans[0]!);
    if (w.pieces.length > 1 && w.scans.some((s) => s.sequentialOnly)) await scanWhole(pool, w, o);
  }
}

/**
 * Makes `w` one piece and scans it again (calls split across lines or implicit pids). Whether a
 * file needs this does not depend on where it was cut (any line of it decides), so the canonical
 * layout makes it one piece too.
 */
async function scanWhole(pool: IngestPool, w: FileWork, o: ScanOptions): Promise<void> {
  const whole: Piece = {
    ...w.pieces[0]!,
    byteEnd: w.pieces[w.pieces.length - 1]!.byteEnd,
    atEof: true,
  };
  w.pieces = [whole];
  w.canon = [0];
  w.scans = await pool.run({
    kind: "scan",
    segments: [{ piece: whole, fileTid: w.tid, hash: true }],
    sysdigFormat: o.sysdigFormat,
  });
}
