/**
 * `captures.json`, what a record or captures stage hands to ingest: one entry per run, its files
 * (path relative to the stage's folder, or absolute outside the cache) with their sha256, so that
 * the file hash of the stage (and so the key of ingest) changes whenever a capture's bytes do.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CaptureEntry {
  /** the run's source as the dataset keeps it (a path relative to the study, or to the cache) */
  source: string;
  /** the capture file or folder: absolute, or relative to the stage's folder */
  path: string;
  image: string;
  run: string;
  format: "auto" | "strace" | "sysdig-text" | "sysdig-json" | "scap";
  labels: Record<string, string>;
  /** sha256 of each file, by its name within the capture */
  files: Record<string, string>;
}

export const CAPTURES_FILE = "captures.json";

export function writeCaptures(dir: string, captures: readonly CaptureEntry[]): void {
  writeFileSync(join(dir, CAPTURES_FILE), JSON.stringify({ captures }, null, 1) + "\n");
}

export function readCaptures(dir: string): CaptureEntry[] {
  return (JSON.parse(readFileSync(join(dir, CAPTURES_FILE), "utf8")) as { captures: CaptureEntry[] })
    .captures;
}
