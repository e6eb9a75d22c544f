/**
 * Resolves what the user asked to ingest (paths or a manifest) into captures: one run each, with
 * its image, run id, labels and files. An `-ff` folder is one capture of many files.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../errors.ts";

export type Format = "auto" | "strace" | "sysdig-text" | "sysdig-json" | "scap";
export const FORMATS: readonly Format[] = ["auto", "strace", "sysdig-text", "sysdig-json", "scap"];

export interface CaptureFile {
  path: string;
  /** name within the capture (relative to the folder, or the file's name). */
  name: string;
  /** task id from an `-ff` file name (`trace.1234`, `trace.1234.gz`), else -1. */
  tid: number;
  size: number;
}

export interface CaptureInput {
  image: string;
  /**
   * the image was named (`--image`, a manifest's `image:`): every row goes to it. Otherwise a scap
   * capture's container rows go to their own images (one run per image).
   */
  imageGiven: boolean;
  run: string;
  source: string;
  format: Format;
  labels: Record<string, string>;
  files: CaptureFile[];
}

const NAME_OK = /^[^\s/\\][^\n\r]*$/;

function checkName(kind: string, v: string, where: string): string {
  if (!NAME_OK.test(v) || v === "." || v === "..") {
    throw new UsageError(
      `${where}: ${kind} name ${JSON.stringify(v)} is not valid (empty, path-like or blank)`,
    );
  }
  return v;
}

/** Strips capture extensions: `trace.log.gz` → `trace.log` → `trace`. */
function stem(p: string): string {
  return basename(p)
    .replace(/\.gz$/, "")
    .replace(/\.(log|out|txt|strace|trace|scap|jsonl|json)$/, "");
}

/** Capture files under `dir`: regular files, recursively, no dot files, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function tidOf(name: string): number {
  const m = /\.(\d+)(?:\.gz)?$/.exec(name);
  return m ? Number(m[1]) : -1;
}

/** One capture from a path: a file, or a folder of files (`-ff`). */
export function captureFromPath(
  path: string,
  opts: { image?: string; run?: string; format: Format; labels?: Record<string, string> },
): CaptureInput {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`${path}: no such file or folder`);
  }
  const abs = resolve(path);
  const files: CaptureFile[] = [];
  if (st.isDirectory()) {
    for (const f of listFiles(abs)) {
      const name = relative(abs, f);
      files.push({ path: f, name, tid: tidOf(basename(f)), size: statSync(f).size });
    }
    if (files.length === 0) throw new UsageError(`${path}: folder holds no capture files`);
  } else {
    files.push({ path: abs, name: basename(abs), tid: tidOf(basename(abs)), size: st.size });
  }
  const image = opts.image ?? basename(dirname(abs));
  const run = opts.run ?? stem(abs);
  return {
    image: checkName("image", image, path),
    imageGiven: opts.image !== undefined,
    run: checkName("run", run, path),
    source: path,
    format: opts.format,
    labels: opts.labels ?? {},
    files,
  };
}

/** Reads `captures.yaml`: `captures: [{path, image, run, format?, labels?}]`, paths relative to it. */
export function capturesFromManifest(file: string, defaultFormat: Format): CaptureInput[] {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`${file}: cannot read manifest (${(e as Error).message})`);
  }
  const list = (doc as { captures?: unknown } | null)?.captures;
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected a top-level "captures:" list`);
  return list.map((entry: unknown, i: number) => {
    const where = `${file}: captures[${i}]`;
    if (typeof entry !== "object" || entry === null) throw new UsageError(`${where}: expected a mapping`);
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!["path", "image", "run", "format", "labels"].includes(k)) {
        throw new UsageError(`${where}: unknown key "${k}" (expected path, image, run, format, labels)`);
      }
    }
    if (typeof e.path !== "string") throw new UsageError(`${where}: "path" must be a string`);
    const format = (e.format ?? defaultFormat) as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`${where}: unknown format ${JSON.stringify(e.format)}`);
    const labels: Record<string, string> = {};
    if (e.labels !== undefined) {
      if (typeof e.labels !== "object" || e.labels === null)
        throw new UsageError(`${where}: "labels" must be a mapping`);
      for (const [k, v] of Object.entries(e.labels)) labels[k] = String(v);
    }
    return captureFromPath(resolve(dirname(file), e.path), {
      image: e.image === undefined ? undefined : String(e.image),
      run: e.run === undefined ? undefined : String(e.run),
      format,
      labels,
    });
  });
}

/** Encodes a partition value the way DuckDB's hive partitioning decodes it. */
export function partitionValue(v: string): string {
  return v.replace(/[^A-Za-z0-9._:+@-]/g, (c) =>
    [...Buffer.from(c)].map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join(""),
  );
}
