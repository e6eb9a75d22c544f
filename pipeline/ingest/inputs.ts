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
import { CsvError, parseCsv } from "../../stages/csv/parse.ts";
import { parseYamlShape, YamlShapeError } from "../../stages/yaml/parse-shape.ts";
import { UsageError } from "../errors.ts";
import { expandGlob, hasGlob } from "./glob.ts";

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

/** A manifest's entry as read, before its path is resolved: `where` names it in errors. */
interface Entry {
  path: string;
  image?: string;
  run?: string;
  format?: Format;
  labels?: Record<string, string>;
  where: string;
}

/** Reads `captures.yaml`'s entries (schemas/captures-manifest.ts). */
function yamlEntries(text: string, file: string): Entry[] {
  let manifest;
  try {
    manifest = parseYamlShape(text, file, capturesManifestShape);
  } catch (e) {
    if (e instanceof YamlShapeError) throw new UsageError(e.message);
    throw e;
  }
  return manifest.captures.map((e, i) => ({ ...e, where: `${file}: captures[${i}]` }));
}

const CSV_FIELDS = new Set(["path", "image", "run", "format"]);

/**
 * Reads a CSV manifest's entries: a header row naming the columns, `path` required; `image`, `run`
 * and `format` as in YAML (an empty cell: the default); every other column a label (empty: none).
 */
function csvEntries(text: string, file: string): Entry[] {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new UsageError(`${file}:${e.line}: ${e.reason}`);
    throw e;
  }
  const [head, ...body] = rows;
  const columns = head?.fields.map((f) => f.trim()) ?? [];
  if (!columns.includes("path")) throw new UsageError(`${file}:1: the header row has no path column`);
  return body.map((r) => {
    const where = `${file}:${r.line}`;
    if (r.fields.length !== columns.length)
      throw new UsageError(`${where}: ${r.fields.length} fields, the header has ${columns.length}`);
    const cell = (name: string): string | undefined => {
      const v = r.fields[columns.indexOf(name)]?.trim();
      return v === undefined || v === "" ? undefined : v;
    };
    const path = cell("path");
    if (path === undefined) throw new UsageError(`${where}: path is empty`);
    const format = cell("format");
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`${where}: format ${JSON.stringify(format)} is not one of ${FORMATS.join(", ")}`);
    const labels: Record<string, string> = {};
    for (const c of columns) {
      const v = cell(c);
      if (!CSV_FIELDS.has(c) && v !== undefined) labels[c] = v;
    }
    return {
      path,
      image: cell("image"),
      run: cell("run"),
      format: format as Format | undefined,
      labels,
      where,
    };
  });
}

/**
 * Reads a manifest: YAML (`captures: [{path, image, run, format?, labels?}]`) or CSV (a `.csv`
 * file: a header row, `path` and any of image, run, format, other columns labels), paths relative
 * to it. A path with globs (`*`, `?`, `[…]`, `**`) is every file or folder it matches, each a
 * capture of its own (image and run by default from its folder and name, as for a PATH). A bad
 * manifest is a UsageError naming the file, the line (or entry) and the reason.
 */
export function capturesFromManifest(file: string, defaultFormat: Format): CaptureInput[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${file}: cannot read manifest (${(e as Error).message})`);
  }
  const entries = /\.csv$/i.test(file) ? csvEntries(text, file) : yamlEntries(text, file);
  const base = dirname(file);
  return entries.flatMap((e) => {
    const opts = { image: e.image, run: e.run, format: e.format ?? defaultFormat, labels: e.labels ?? {} };
    if (!hasGlob(e.path)) return [captureFromPath(resolve(base, e.path), opts)];
    const paths = expandGlob(base, e.path);
    if (paths.length === 0) throw new UsageError(`${e.where}: path ${e.path} matches no file or folder`);
    if (e.run !== undefined && paths.length > 1)
      throw new UsageError(
        `${e.where}: run ${e.run} names one run, but path ${e.path} matches ${paths.length}`,
      );
    return paths.map((p) => captureFromPath(p, opts));
  });
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
