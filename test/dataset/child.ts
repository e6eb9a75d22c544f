/**
 * The sandmine CLI as a child process (`node --enable-source-maps pipeline/launch.mjs cli …`), for
 * tests that kill it or run several at once, and helpers to compare datasets byte for byte.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { listFiles, REPO_ROOT } from "../util/datasets.ts";

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs `sandmine ARGS…` in a child process with `env` added; resolves when it exits. */
export function sandmine(args: readonly string[], env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--enable-source-maps", "pipeline/launch.mjs", "cli", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, out, err }));
  });
}

/** Builds the CLI bundle once (launch.mjs rebuilds when a source is newer), before children race to. */
export async function warmBundle(): Promise<void> {
  const r = await sandmine(["--version"]);
  if (r.code !== 0) throw new Error(`sandmine --version: ${r.err}`);
}

/** Every file of a dataset (relative path → sha256), sorted by path. */
export function datasetHashes(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => [relative(dir, f), createHash("sha256").update(readFileSync(f)).digest("hex")]),
  );
}

/** A captures manifest of bundled runs (`image/run` as in datasets/captures.yaml), written to `file`. */
export function bundledManifest(file: string, runs: readonly string[]): string {
  const text = readFileSync(join(REPO_ROOT, "datasets", "captures.yaml"), "utf8");
  const lines = text.split("\n").filter((l) => runs.some((r) => l.includes(`path: captures/${r},`)));
  if (lines.length !== runs.length) throw new Error(`captures.yaml lacks some of ${runs.join(", ")}`);
  const abs = lines.map((l) =>
    l.replace("path: captures/", `path: ${join(REPO_ROOT, "datasets", "captures")}/`),
  );
  writeFileSync(file, ["captures:", ...abs].join("\n") + "\n");
  return file;
}
