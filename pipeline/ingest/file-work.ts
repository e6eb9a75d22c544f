/**
 * One capture file while it is ingested: which capture and file it is, its task id, the pieces it
 * is cut into and, once scanned, each piece's scan reply. Made by the orchestrator (ingest.ts) and
 * read by the steps it calls (units, resolve, split, reject-share).
 */
import type { CaptureInput } from "./inputs.ts";
import { planCut } from "./plan.ts";
import type { Piece, ScanReply } from "./tasks.ts";

export interface FileWork {
  capture: number;
  fileIndex: number;
  tid: number;
  name: string;
  pieces: Piece[];
  /** for each piece, the index of the file's canonical piece it lies in (plan.ts) */
  canon: number[];
  scans: ScanReply[];
}

/** Every file of every capture, in order, cut into pieces of about `pieceBytes` (not yet scanned). */
export function planWork(captures: readonly CaptureInput[], pieceBytes?: number): FileWork[] {
  return captures.flatMap((c, ci) =>
    c.files.map((f, fi) => ({
      capture: ci,
      fileIndex: fi,
      tid: f.tid,
      name: f.name,
      ...planCut(f.path, f.size, pieceBytes),
      scans: [],
    })),
  );
}
