/**
 * Cuts capture files into pieces aligned to line starts. The cut points depend only on the file
 * and PIECE_BYTES, never on the worker count, so the dataset's bytes do not either.
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
