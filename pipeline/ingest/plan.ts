/**
 * Cuts capture files into pieces aligned to line starts. The dataset's layout follows the
 * canonical cut, every PIECE_BYTES (one events file per canonical piece, or group of small
 * files); `--piece-bytes` below that cuts each canonical piece finer for parallel reading, and the
 * parts of one canonical piece are merged back (canonical.ts). Neither the worker count nor
 * `--piece-bytes` changes a byte of the dataset.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { isGzip } from "./read-piece.ts";
import type { Piece } from "./tasks.ts";

/** Target size of one piece of a plain file. */
export const PIECE_BYTES = 2 * 1024 * 1024;

function head(file: string, n: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Offset of the first line start at or after `at` (the byte after a newline), or `size`. */
function nextLineStart(fd: number, at: number, size: number): number {
  const buf = Buffer.alloc(65536);
  let pos = at - 1; // the newline may be the byte just before `at`
  while (pos < size) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    const i = buf.subarray(0, n).indexOf(10);
    if (i >= 0) return pos + i + 1;
    pos += n;
  }
  return size;
}

/** Pieces of one file: the whole file when gzip or small, else line-aligned ranges. */
export function planPieces(file: string, size: number, pieceBytes = PIECE_BYTES): Piece[] {
  const gzip = isGzip(head(file, 2));
  if (gzip || size <= pieceBytes) return [{ file, gzip, byteStart: 0, byteEnd: size, atEof: true }];
  const cuts = [0];
  const fd = openSync(file, "r");
  try {
    for (let at = pieceBytes; at < size; at += pieceBytes) {
      const c = nextLineStart(fd, at, size);
      if (c > cuts[cuts.length - 1]! && c < size) cuts.push(c);
    }
  } finally {
    closeSync(fd);
  }
  cuts.push(size);
  const out: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    out.push({ file, gzip: false, byteStart: cuts[i]!, byteEnd: cuts[i + 1]!, atEof: i + 2 === cuts.length });
  }
  return out;
}

/** A file's pieces and, for each, the index of the canonical piece (of PIECE_BYTES) it lies in. */
export interface CutPlan {
  pieces: Piece[];
  canon: number[];
}

/**
 * The pieces of one file for reading: its canonical pieces (planPieces at PIECE_BYTES), each cut
 * again every `pieceBytes` when that is smaller (larger values read canonical pieces).
 */
export function planCut(file: string, size: number, pieceBytes = PIECE_BYTES): CutPlan {
  const canonical = planPieces(file, size);
  if (pieceBytes >= PIECE_BYTES || canonical[0]!.gzip) {
    return { pieces: canonical, canon: canonical.map((_, i) => i) };
  }
  const pieces: Piece[] = [];
  const canon: number[] = [];
  const fd = openSync(file, "r");
  try {
    canonical.forEach((cp, j) => {
      const cuts = [cp.byteStart];
      for (let at = cp.byteStart + pieceBytes; at < cp.byteEnd; at += pieceBytes) {
        const c = nextLineStart(fd, at, size);
        if (c > cuts[cuts.length - 1]! && c < cp.byteEnd) cuts.push(c);
      }
      cuts.push(cp.byteEnd);
      for (let i = 0; i + 1 < cuts.length; i++) {
        pieces.push({ file, gzip: false, byteStart: cuts[i]!, byteEnd: cuts[i + 1]!, atEof: false });
        canon.push(j);
      }
    });
  } finally {
    closeSync(fd);
  }
  pieces[pieces.length - 1]!.atEof = true;
  return { pieces, canon };
}
