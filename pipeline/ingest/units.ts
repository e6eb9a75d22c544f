/**
 * Groups pieces into worker tasks: each piece of a cut file is a task of its own; whole small
 * files of one run are packed together up to the piece size, in file order. The grouping depends
 * only on the file list, the sizes and the piece size, so the Parquet parts do too.
 */
import type { FileWork } from "./file-work.ts";

/** A reference to piece `k` of a file. */
export interface PieceRef {
  w: FileWork;
  k: number;
}

/** gzip files are packed by an estimate of their text size (strace text compresses ~8x). */
const GZIP_RATIO = 8;

/** The tasks, in a deterministic order. */
export function groupUnits(work: readonly FileWork[], pieceBytes: number): PieceRef[][] {
  const units: PieceRef[][] = [];
  let open: PieceRef[] = [];
  let openBytes = 0;
  let openCapture = -1;
  const flush = () => {
    if (open.length > 0) units.push(open);
    open = [];
    openBytes = 0;
  };
  for (const w of work) {
    if (w.capture !== openCapture) {
      flush();
      openCapture = w.capture;
    }
    if (w.pieces.length > 1) {
      flush();
      w.pieces.forEach((_, k) => units.push([{ w, k }]));
      continue;
    }
    const p = w.pieces[0]!;
    const size = (p.byteEnd - p.byteStart) * (p.gzip ? GZIP_RATIO : 1);
    if (openBytes > 0 && openBytes + size > pieceBytes) flush();
    open.push({ w, k: 0 });
    openBytes += size;
  }
  flush();
  return units;
}
