/**
 * One capture file while it is ingested: which capture and file it is, its task id, the pieces it
 * is cut into and, once scanned, each piece's scan reply. Made by the orchestrator (ingest.ts) and
 * read by the steps it calls (units, resolve, split, reject-share).
 */
import type { Piece, ScanReply } from "./tasks.ts";

export interface FileWork {
  capture: number;
  fileIndex: number;
  tid: number;
  name: string;
  pieces: Piece[];
  scans: ScanReply[];
}
