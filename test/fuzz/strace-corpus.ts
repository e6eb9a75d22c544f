/**
 * Real strace lines to fuzz with: windows of consecutive lines of every bundled capture
 * (datasets/captures/*\/*\/trace.*.gz), every recorded style (datasets/styles/**) and, when it is
 * there, ../shared/datasets/strace (required under CI), each with what the ingest would know of
 * its file (the task of an `-ff` file, the architecture), and the lines of them that are not
 * strace's (the traced programs' own output) as program text to splice in.
 */
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { newLineInfo, parseLine } from "../../stages/strace/line.ts";
import {
  REPO_ROOT,
  fileTidOf,
  listFiles,
  requireOrSkip,
  sharedDatasets,
  type Availability,
} from "../util/datasets.ts";

/** How a capture's tasks are told apart. */
export type StraceStyle = "ff" | "prefixed" | "stderr";

/** Windows of one capture file. */
export interface StraceSource {
  name: string;
  arch: string;
  /** task of an `-ff` file, or -1. */
  fileTid: number;
  style: StraceStyle;
  windows: string[][];
}

/** Lines per window, and windows per file at most. */
const WINDOW = 48;
const WINDOWS = 4;

const sharedStrace = ((): string | null => {
  const d = sharedDatasets();
  const dir = d === null ? null : path.join(d, "strace");
  return dir !== null && fs.existsSync(dir) ? dir : null;
})();

/** ../shared/datasets/strace: used when present, required when CI is set. */
export const sharedStraceAvailability: Availability = requireOrSkip(
  sharedStrace,
  "../shared/datasets/strace",
);

function styleOf(name: string, lines: readonly string[]): StraceStyle {
  if (fileTidOf(name) !== undefined) return "ff";
  const head = lines.slice(0, 20).filter((l) => l !== "");
  return head.length > 0 && head.every((l) => /^\d+ /.test(l)) ? "prefixed" : "stderr";
}

function windowsOf(lines: readonly string[]): string[][] {
  const n = lines.length;
  if (n <= WINDOW) return [lines.slice()];
  const k = Math.min(WINDOWS, Math.ceil(n / WINDOW));
  const out: string[][] = [];
  for (let i = 0; i < k; i++) {
    const s = Math.floor((i * (n - WINDOW)) / (k - 1));
    out.push(lines.slice(s, s + WINDOW));
  }
  return out;
}

let cached: { sources: StraceSource[]; program: string[] } | null = null;

/** Every capture's windows, and the program text found in them (read once). */
export function straceCorpus(): { sources: StraceSource[]; program: string[] } {
  if (cached !== null) return cached;
  const files = [
    ...listFiles(path.join(REPO_ROOT, "datasets", "captures")),
    ...listFiles(path.join(REPO_ROOT, "datasets", "styles")),
  ].filter((f) => /trace\.(\d+\.)?gz$/.test(f));
  if (sharedStraceAvailability.path !== null)
    files.push(...listFiles(sharedStraceAvailability.path).filter((f) => !f.endsWith(".md")));
  const sources: StraceSource[] = [];
  const program = new Set<string>();
  const info = newLineInfo();
  for (const file of files) {
    let bytes = fs.readFileSync(file);
    if (file.endsWith(".gz")) bytes = gunzipSync(bytes);
    const lines = bytes.toString("latin1").split("\n");
    if (lines.at(-1) === "") lines.pop();
    const name = path.relative(REPO_ROOT, file);
    for (const l of lines)
      if (program.size < 2000 && l.length < 400 && parseLine(l, info) === "other") program.add(l);
    sources.push({
      name,
      // the ARM cross-compiler's trace is of a 32-bit x86 process (README of the shared folder)
      arch: name.includes("arm-cc1") ? "i386" : "x86_64",
      fileTid: fileTidOf(file) ?? -1,
      style: styleOf(file, lines),
      windows: windowsOf(lines),
    });
  }
  cached = { sources, program: [...program] };
  return cached;
}
