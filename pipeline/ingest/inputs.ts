/**
 * Resolves what the user asked to ingest (paths or a manifest) into captures: one run each, with
 * its image, run id, labels and files. An `-ff` folder is one capture of many files.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import {
  CAPTURE_FORMATS,
  capturesManifestShape,
  type CaptureFormat,
} from "../../schemas/captures-manifest.ts";
import { parseYamlShape, YamlShapeError } from "../../stages/yaml/parse-shape.ts";
import { UsageError } from "../errors.ts";

export type Format = CaptureFormat;
export const FORMATS: readonly Format[] = CAPTURE_FORMATS;

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

/**
 * Reads `captures.yaml`: `captures: [{path, image, run, format?, labels?}]`, paths relative to it
 * (schemas/captures-manifest.ts). A bad manifest is a UsageError naming the file, the line, the
 * path in the document and the reason.
 */
export function capturesFromManifest(file: string, defaultFormat: Format): CaptureInput[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${file}: cannot read manifest (${(e as Error).message})`);
  }
  let manifest;
  try {
    manifest = parseYamlShape(text, file, capturesManifestShape);
  } catch (e) {
    if (e instanceof YamlShapeError) throw new UsageError(e.message);
    throw e;
  }
  return manifest.captures.map((e) =>
    captureFromPath(resolve(dirname(file), e.path), {
      image: e.image,
      run: e.run,
      format: e.format ?? defaultFormat,
      labels: e.labels ?? {},
    }),
  );
}

/** Encodes a partition value the way DuckDB's hive partitioning decodes it. */
export function partitionValue(v: string): string {
  return v.replace(/[^A-Za-z0-9._:+@-]/g, (c) =>
    [...Buffer.from(c)].map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join(""),
  );
}

/** One shard of a capture list: `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Reads `--shard K/N` (1 ≤ K ≤ N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard ${text}: give K/N with 1 <= K <= N (e.g. 2/4)`);
  }
  return { index, count };
}

/**
 * The captures of shard `s`: those whose image and run hash (sha256 of `image NUL run`, first 8
 * bytes) to it, so that N processes given the same list and shards 1/N … N/N ingest each capture
 * exactly once, whatever the list's order.
 */
export function shardCaptures(captures: readonly CaptureInput[], s: Shard): CaptureInput[] {
  return captures.filter((c) => {
    const h = createHash("sha256").update(`${c.image}\u0000${c.run}`).digest();
    return Number(h.readBigUInt64BE(0) % BigInt(s.count)) === s.index - 1;
  });
}
