/**
 * Opens a dataset for analysis: checks it exists, then builds the `sig`, `models` and `argv`
 * tables (stages/characterize/sql.ts) in the given DuckDB session. The `sig` table — the one scan
 * over all events — is cached as DATASET/analysis/sig-KEY.parquet, KEY hashing the events files
 * (path, size, mtime), the SQL that builds it and the image filter, so that `coverage` after
 * `characterize` (or a second run) does not scan the events again.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import {
  allArgModels,
  argValuesSql,
  eventsSource,
  modelsTableSql,
  signatureSql,
} from "../../stages/characterize/index.ts";
import { quoteString, type Db } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { writeQueryParquet } from "./write.ts";

/** The images of a dataset (from its partition folders), sorted. */
export function datasetImages(dataset: string): string[] {
  const events = join(dataset, "events");
  if (!existsSync(events)) {
    throw new UsageError(`${dataset}: not a sandmine dataset (no events/ folder); run sandmine ingest first`);
  }
  return readdirSync(events, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith("image="))
    .map((e) => e.name.slice("image=".length))
    .sort();
}

/** Checks `image` (if given) is in the dataset; returns the images to analyse. */
export function selectImages(dataset: string, image?: string): string[] {
  const all = datasetImages(dataset);
  if (all.length === 0) throw new UsageError(`${dataset}: the dataset has no events`);
  if (image === undefined) return all;
  if (!all.includes(image)) {
    throw new UsageError(`--image ${image}: not in ${dataset} (images: ${all.join(", ")})`);
  }
  return [image];
}

function eventFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) eventFiles(p, out);
    else if (e.name.endsWith(".parquet")) out.push(p);
  }
  return out;
}

/** The cache key of `sig`: events files (path, size, mtime) + the SQL text. */
function sigKey(dataset: string, sql: string): string {
  const h = createHash("sha256").update(sql);
  for (const f of eventFiles(join(dataset, "events")).sort()) {
    const st = statSync(f);
    h.update(`\n${relative(dataset, f)}\t${st.size}\t${st.mtimeMs}`);
  }
  return h.digest("hex").slice(0, 20);
}

/** Builds sig (from the cache when fresh), models and argv for the dataset (one image when given). */
export async function prepare(db: Db, dataset: string, image?: string): Promise<void> {
  const models = allArgModels();
  const sql = signatureSql(eventsSource(dataset), models, image);
  const cacheDir = join(dataset, "analysis");
  const cache = join(cacheDir, `sig-${sigKey(dataset, sql)}.parquet`);
  if (existsSync(cache)) {
    await db.exec(`CREATE OR REPLACE TEMP TABLE sig AS SELECT * FROM read_parquet(${quoteString(cache)})`);
  } else {
    await db.exec(sql);
    if (existsSync(cacheDir)) {
      for (const f of readdirSync(cacheDir)) if (/^sig-.*\.parquet$/.test(f)) rmSync(join(cacheDir, f));
    }
    await writeQueryParquet(db, "SELECT * FROM sig", cache);
  }
  await db.exec(modelsTableSql(models));
  await db.exec(argValuesSql());
  await db.exec("ALTER TABLE sig RENAME TO sig_all");
  await db.exec("ALTER TABLE argv RENAME TO argv_all");
}

/**
 * Points `sig` and `argv` at one image's rows, so that the per-image summaries scan only them
 * (`prepare` keeps every image in `sig_all` and `argv_all`).
 */
export async function focus(db: Db, image: string): Promise<void> {
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE sig AS SELECT * FROM sig_all WHERE image = ${quoteString(image)}`,
  );
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE argv AS SELECT * FROM argv_all WHERE image = ${quoteString(image)}`,
  );
}
