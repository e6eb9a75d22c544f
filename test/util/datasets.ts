/**
 * Locating the shared real-capture datasets from tests. They live outside the repository
 * (/work/shared/datasets, or $SANDMINE_DATASETS); tests that need them skip when they are absent,
 * except in CI, where a missing dataset must fail loudly instead of silently testing nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (test/util/../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Path of the shared datasets folder, or null when it does not exist. */
export function sharedDatasets(): string | null {
  // CI clones the repository elsewhere with shared/ beside it: look next to the clone first
  const candidates = process.env.SANDMINE_DATASETS
    ? [process.env.SANDMINE_DATASETS]
    : [path.resolve(REPO_ROOT, "../shared/datasets"), "/work/shared/datasets"];
  return candidates.find((dir) => fs.existsSync(dir) && fs.statSync(dir).isDirectory()) ?? null;
}

/** Path of the captures bundled with the repository (datasets/captures), or null. */
export function bundledCaptures(): string | null {
  const dir = path.join(REPO_ROOT, "datasets", "captures");
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? dir : null;
}

/** What a test should do about an optional input: run it, skip it (with the reason), or fail. */
export interface Availability {
  path: string | null;
  /** set when the input is missing and the test must be skipped. */
  skipReason: string | null;
}

/**
 * Decides whether a test needing `dir` runs. Missing input is a skip locally but an error under CI
 * (`process.env.CI` set), so a misconfigured CI cannot pass by testing nothing.
 */
export function requireOrSkip(
  dir: string | null,
  what: string,
  env: NodeJS.ProcessEnv = process.env,
): Availability {
  if (dir !== null) return { path: dir, skipReason: null };
  const reason = `${what} not found (set SANDMINE_DATASETS or provide ../shared/datasets beside the repository)`;
  if (env.CI) throw new Error(`${reason}; required when CI is set`);
  return { path: null, skipReason: reason };
}

/** All regular files under `dir`, recursively, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/** Lines as a line reader counts them: newline-terminated lines plus a trailing partial line. */
export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  if (text.length > 0 && !text.endsWith("\n")) n++;
  return n;
}

/** The task id of an `-ff` per-task file (`trace.1234`, `strace.1234.gz`), or undefined. */
export function fileTidOf(file: string): number | undefined {
  const m = /\.(\d+)(?:\.gz)?$/.exec(path.basename(file));
  return m ? Number(m[1]) : undefined;
}
