/**
 * Groups pieces into worker tasks: each piece of a cut file is a task of its own; whole small
 * files of one run are packed together up to the piece size, in file order. The grouping depends
 * only on the file list, the sizes and the piece size, so the Parquet parts do too.
 */
import type { FileWork } from "./file-work.ts";
import { PIECE_BYTES } from "./plan.ts";

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

/** A parse task: pieces of one run, which part of which canonical unit of its capture it is. */
export interface ParseUnit {
  refs: PieceRef[];
  /** index of the canonical unit (one events file of the dataset) within the capture */
  canon: number;
  /** index of this task within its canonical unit */
  sub: number;
}

/**
 * The parse tasks, in a deterministic order. The canonical units are groupUnits' tasks at
 * PIECE_BYTES over the canonical pieces (plan.ts) — the dataset has one events file per canonical
 * unit — and each is cut into tasks as groupUnits does at `pieceBytes`: with the default piece size
 * every canonical unit is one task.
 */
export function parseUnits(work: readonly FileWork[], pieceBytes: number): ParseUnit[] {
  const canonicalUnits: PieceRef[][] = [];
  const captureOf: number[] = [];
  let open: PieceRef[] = [];
  let openBytes = 0;
  let openCapture = -1;
  const flush = () => {
    if (open.length > 0) {
      canonicalUnits.push(open);
      captureOf.push(openCapture);
    }
    open = [];
    openBytes = 0;
  };
  for (const w of work) {
    if (w.capture !== openCapture) {
      flush();
      openCapture = w.capture;
    }
    const ncanon = w.canon[w.canon.length - 1]! + 1;
    if (ncanon > 1) {
      flush();
      for (let j = 0; j < ncanon; j++) {
        open = w.pieces.flatMap((_, k) => (w.canon[k] === j ? [{ w, k }] : []));
        flush();
      }
      continue;
    }
    const first = w.pieces[0]!;
    const last = w.pieces[w.pieces.length - 1]!;
    const size = (last.byteEnd - first.byteStart) * (first.gzip ? GZIP_RATIO : 1);
    if (openBytes > 0 && openBytes + size > PIECE_BYTES) flush();
    open.push(...w.pieces.map((_, k) => ({ w, k })));
    openBytes += size;
  }
  flush();
  const out: ParseUnit[] = [];
  const next = new Map<number, number>();
  canonicalUnits.forEach((refs, i) => {
    const capture = captureOf[i]!;
    const canon = next.get(capture) ?? 0;
    next.set(capture, canon + 1);
    subUnits(refs, pieceBytes).forEach((r, sub) => out.push({ refs: r, canon, sub }));
  });
  return out;
}

/** The tasks of one canonical unit: groupUnits' rule at `pieceBytes` within it. */
function subUnits(refs: readonly PieceRef[], pieceBytes: number): PieceRef[][] {
  const units: PieceRef[][] = [];
  let open: PieceRef[] = [];
  let openBytes = 0;
  const flush = () => {
    if (open.length > 0) units.push(open);
    open = [];
    openBytes = 0;
  };
  for (let i = 0; i < refs.length;) {
    const w = refs[i]!.w;
    let j = i;
    while (j < refs.length && refs[j]!.w === w) j++;
    if (j - i > 1) {
      flush();
      for (let k = i; k < j; k++) units.push([refs[k]!]);
    } else {
      const p = w.pieces[refs[i]!.k]!;
      const size = (p.byteEnd - p.byteStart) * (p.gzip ? GZIP_RATIO : 1);
      if (openBytes > 0 && openBytes + size > pieceBytes) flush();
      open.push(refs[i]!);
      openBytes += size;
    }
    i = j;
  }
  flush();
  return units;
}
