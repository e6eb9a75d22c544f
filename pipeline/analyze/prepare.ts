/**
 * Opens a dataset for analysis: checks it exists, then makes the tables characterize and coverage
 * read (`DERIVED_TABLES` of stages/characterize/sql.ts: the summaries, coverage units and run
 * spans of every image) available as views in the given DuckDB session. They are built from the
 * `sig` and `argv` rows (stages/characterize/sql.ts) and cached as DATASET/analysis/NAME-KEY.parquet,
 * KEY hashing the events and signature files (path, size, mtime), the SQL that builds them and the
 * image filter: `coverage` after `characterize` (or a second run) reads only the cache, a few
 * thousand rows, and neither regroups the signature rows.
 *
 * `sig` is built from the raw signature groups ingest wrote beside each run's events
 * (`_signatures.pq`, pipeline/ingest/signatures.ts), never from the events themselves, when every
 * run with events has them; a dataset with a run that has none (ingested by an older sandmine, or
 * adopted by fsck) is scanned whole, as before: the same groups, so the same results. `sig` and
 * `argv` live only in the building session's in-memory database (a table and a view, dropped after
 * the build): every result comes from the derived tables, read back from their files, so cold and
 * warm runs see the same rows and types.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import {
  DERIVED_TABLES,
  SIG_CALLS_SQL,
  allArgModels,
  argValuesSelect,
  type DerivedTable,
  eventsSource,
  modelsTableSql,
  signatureFromGroups,
  signatureSelect,
  storedGroupsSelect,
} from "../../stages/characterize/index.ts";
import { maxThreads, quoteString, withDb, type Db } from "../duckdb.ts";
import { runFolders } from "../dataset/log.ts";
import { SIGNATURES_FILE } from "../dataset/record.ts";
import { UsageError } from "../errors.ts";
import { partitionName, partitionValue } from "../ingest/partitions.ts";
import { onLanes, onSiblingLanes } from "./lanes.ts";
import { writeQueryParquet } from "./write.ts";

/** What an analysis reads: a dataset folder, and one image of it or (by default) every image. */
export interface AnalyzeScope {
  dataset: string;
  image?: string;
}

/**
 * The images of a dataset (from its partition folders), sorted: those with at least one run
 * folder, which is there only once committed (an `image=` folder may be left empty by an ingest
 * killed before its commit, or by a --replace).
 */
export function datasetImages(dataset: string): string[] {
  const events = join(dataset, "events");
  if (!existsSync(events)) {
    throw new UsageError(`${dataset}: not a sandmine dataset (no events/ folder); run sandmine ingest first`);
  }
  // the names, not their folder spelling: `docker.io/library/nginx:1.25` is `image=docker.io%2Flibrary…`
  return [
    ...new Set(runFolders(dataset).map((f) => partitionName(f.imagePart.slice("image=".length)))),
  ].sort();
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
    else if (e.name.endsWith(".parquet") || e.name === SIGNATURES_FILE) out.push(p);
  }
  return out;
}

/**
 * The signature files of every run that has events, sorted; null when a run with events has none
 * (its groups must come from a scan of the events).
 */
function storedGroups(dataset: string): string[] | null {
  const out: string[] = [];
  for (const f of runFolders(dataset)) {
    const names = readdirSync(f.dir);
    if (!names.some((n) => n.endsWith(".parquet"))) continue;
    if (!names.includes(SIGNATURES_FILE)) return null;
    out.push(join(f.dir, SIGNATURES_FILE));
  }
  return out;
}

/** The cache key: events and signature files (path, size, mtime) + the SQL texts. */
function cacheKey(dataset: string, sql: string): string {
  const h = createHash("sha256").update(sql);
  for (const f of eventFiles(join(dataset, "events")).sort()) {
    const st = statSync(f);
    h.update(`\n${relative(dataset, f)}\t${st.size}\t${st.mtimeMs}`);
  }
  return h.digest("hex").slice(0, 20);
}

const DERIVED_NAMES = Object.keys(DERIVED_TABLES) as DerivedTable[];

/** A cache's files and the SQL that builds them. */
interface Cache {
  /** true when sig comes from a scan of the events (no stored groups) */
  scan: boolean;
  files: Record<DerivedTable, string>;
  sigSql: string;
  modelsSql: string;
  /** the signature files the cache is built from, in batches of images (none: a scan of the events) */
  batches: string[][];
}

function cacheOf(dataset: string, image: string | undefined): Cache {
  const models = allArgModels();
  const stored = storedGroups(dataset);
  const sigSql =
    stored === null || stored.length === 0
      ? signatureSelect(eventsSource(dataset), models, image)
      : signatureFromGroups(storedGroupsSelect(stored, image), models);
  const modelsSql = modelsTableSql(models, false);
  const sql = [
    sigSql,
    modelsSql,
    argValuesSelect("sig"),
    SIG_CALLS_SQL,
    ...DERIVED_NAMES.map((n) => DERIVED_TABLES[n]),
  ];
  const key = cacheKey(dataset, sql.join("\n;\n"));
  const dir = join(dataset, "analysis");
  return {
    scan: stored === null || stored.length === 0,
    files: Object.fromEntries(DERIVED_NAMES.map((n) => [n, join(dir, `${n}-${key}.parquet`)])) as Record<
      DerivedTable,
      string
    >,
    sigSql,
    modelsSql,
    batches: stored === null || stored.length === 0 ? [] : imageBatches(stored, image),
  };
}

/**
 * The runs whose signatures one DuckDB pass holds at most: the cache is built batch by batch of
 * whole images so that its memory does not grow with the fleet (measured on the fleet bench: one
 * pass over 1,000 runs peaked at 596 MiB of RSS, over 100 runs at 217 MiB).
 */
export const BATCH_RUNS = 64;

/** BATCH_RUNS, or SANDMINE_BATCH_RUNS (tests: batches of a few runs give the same cache). */
const batchRuns = (): number => Number(process.env.SANDMINE_BATCH_RUNS ?? BATCH_RUNS);

/** `files` (sorted, `…/image=X/run=R/_signatures.pq`) of `image` or every image, cut into batches of whole images. */
function imageBatches(files: readonly string[], image: string | undefined): string[][] {
  const imageOf = (f: string): string => basename(dirname(dirname(f)));
  const byImage = new Map<string, string[]>();
  for (const f of files) {
    const k = imageOf(f);
    if (image !== undefined && k !== `image=${partitionValue(image)}`) continue;
    byImage.set(k, [...(byImage.get(k) ?? []), f]);
  }
  const out: string[][] = [];
  let cur: string[] = [];
  for (const group of byImage.values()) {
    if (cur.length > 0 && cur.length + group.length > batchRuns()) {
      out.push(cur);
      cur = [];
    }
    cur.push(...group);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

const fresh = (c: Cache): boolean => DERIVED_NAMES.every((n) => existsSync(c.files[n]));

/** Which cache `prepare` reads (or builds): found by listing and hashing files, before any DuckDB work. */
export interface CachePlan {
  readonly cache: Cache;
}

/**
 * The cache of `image` (or every image) of the dataset: a fresh cache of all images serves a
 * one-image request too. Throws a clear error for a folder that is no dataset, or an unknown image.
 */
export function planCache(dataset: string, image?: string): CachePlan {
  selectImages(dataset, image);
  let cache = cacheOf(dataset, undefined);
  if (!fresh(cache) && image !== undefined) cache = cacheOf(dataset, image);
  return { cache };
}

/**
 * Makes a view for each derived table (`a_syscalls`, …, `a_spans`; or those of `tables`) of the
 * dataset (one image when given). A fresh cache of all images serves a one-image request too; otherwise it is built (from
 * the stored groups, or one scan of the events) and the old cache replaced.
 */
export async function prepare(
  db: Db,
  dataset: string,
  image?: string,
  tables: readonly DerivedTable[] = DERIVED_NAMES,
  plan: CachePlan = planCache(dataset, image),
): Promise<void> {
  await (
    await prepareFirst(db, dataset, image, tables, plan)
  ).rest;
}

/** What `prepareFirst` leaves running. */
export interface Prepared {
  /**
   * The cache files of the derived tables not asked for, still being written on sibling
   * connections of the session (a cold build): await it before the session closes. It never
   * rejects unawaited (an unhandled rejection), and it never uses the session's own connection.
   */
  rest: Promise<void>;
}

/**
 * `prepare`, returning as soon as the views of `tables` are there: a cold build writes those
 * tables first, and the other derived tables (what the other analysis command reads) go on being
 * written beside the caller's own queries (the long ones, `a_units_arg` after characterize's
 * tables, took ≈ 20 % of a cold characterize's wall time on one core while the other waited).
 */
export async function prepareFirst(
  db: Db,
  dataset: string,
  image: string | undefined,
  tables: readonly DerivedTable[],
  plan: CachePlan = planCache(dataset, image),
): Promise<Prepared> {
  const cache = plan.cache;
  const { rest } = fresh(cache) ? { rest: Promise.resolve() } : await build(db, dataset, cache, tables);
  const where = image === undefined ? "" : ` WHERE image = ${quoteString(image)}`;
  // only the views the caller reads: each binds its file (footer and schema read), 1-3 ms apiece;
  // not TEMP, so that the session's sibling connections (lanes.ts) see them too; one DuckDB call
  if (tables.length > 0) {
    const views = tables.map(
      (n) => `CREATE OR REPLACE VIEW ${n} AS SELECT * FROM ${readCache(cache.files[n])}${where}`,
    );
    try {
      await db.exec(views.join(";\n"));
    } catch (e) {
      await rest.catch(() => undefined);
      throw e;
    }
  }
  return { rest };
}

/**
 * `prepareFirst`, then `fn` while the rest of a cold build is written; returns once both are done
 * (the rest awaited even when `fn` fails, so the session closes with nothing running on it).
 */
export async function withPrepared<T>(
  db: Db,
  dataset: string,
  image: string | undefined,
  tables: readonly DerivedTable[],
  plan: CachePlan,
  fn: () => Promise<T>,
): Promise<T> {
  const { rest } = await prepareFirst(db, dataset, image, tables, plan);
  let out: T;
  try {
    out = await fn();
  } finally {
    await rest.catch(() => undefined);
  }
  await rest;
  return out;
}

/**
 * CPU milliseconds of each derived table's query on one thread (analyze bench, 10 M events, 175,700
 * signature groups): the lanes take the longest first, so that none is left to run alone at the end.
 */
const COST: Readonly<Record<DerivedTable, number>> = {
  a_args: 70,
  a_units_arg: 55,
  a_tuples: 42,
  a_syscalls_by: 33,
  a_units_type: 14,
  a_syscalls: 12,
  a_governed: 7,
  a_totals: 4,
  a_spans: 3,
};

/** The derived tables, `first` before the others, each part longest first. */
function buildOrder(first: readonly DerivedTable[]): DerivedTable[] {
  const byCost = (a: DerivedTable, b: DerivedTable): number => COST[b] - COST[a];
  const want = new Set(first);
  return [
    ...DERIVED_NAMES.filter((n) => want.has(n)).sort(byCost),
    ...DERIVED_NAMES.filter((n) => !want.has(n)).sort(byCost),
  ];
}

/** A cache file as a table (no partition columns from `key=value` folders in the dataset's path). */
const readCache = (file: string): string => `read_parquet(${quoteString(file)}, hive_partitioning = false)`;

/** Old cache files: this layout's, and the `sig`/`argv` files of the one before. */
const CACHE_FILE = new RegExp(`^(sig|argv|${DERIVED_NAMES.join("|")})-.*\\.parquet$`);

/**
 * Builds the derived tables: from the stored groups batch by batch of whole images (each batch's
 * rows written to a part file, the parts then copied in order into the cache file: every derived
 * table is per image and ordered by image first, so the same rows in the same order as one pass),
 * or from one scan of the events. Old caches go.
 */
async function build(
  db: Db,
  dataset: string,
  cache: Cache,
  first: readonly DerivedTable[],
): Promise<Prepared> {
  const dir = join(dataset, "analysis");
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)) if (CACHE_FILE.test(f)) rmSync(join(dir, f));
  }
  if (cache.batches.length <= 1) {
    const drop = await buildPass(db, cache, cache.batches[0]);
    const order = buildOrder(first);
    const write = (lane: Db, n: DerivedTable): Promise<void> =>
      writeQueryParquet(lane, DERIVED_TABLES[n], cache.files[n]);
    const wanted = order.filter((n) => first.includes(n)).length;
    if (maxThreads() < 2 || wanted === 0 || wanted === order.length) {
      // one thread (a budget), or nothing to do beside the caller: every table before returning
      await onLanes(db, order, write);
      await db.exec(drop);
      return { rest: Promise.resolve() };
    }
    // the caller's tables first on sibling lanes; the rest go on there while the caller works on `db`
    const lanes = onSiblingLanes(db, maxThreads(), order, wanted, write);
    const rest = lanes.all.then(async () => {
      const s = await db.sibling();
      try {
        await s.exec(drop);
      } finally {
        s.close();
      }
    });
    rest.catch(() => undefined);
    try {
      await lanes.first;
    } catch (e) {
      await rest.catch(() => undefined);
      throw e;
    }
    return { rest };
  }
  const tmp = mkdtempSync(join(tmpdir(), "sandmine-cache-"));
  try {
    const parts: string[][] = cache.batches.map((_, k) =>
      DERIVED_NAMES.map((n) => join(tmp, `${n}-${String(k).padStart(6, "0")}.parquet`)),
    );
    // each batch in a DuckDB instance of its own: one instance over every batch kept what the
    // earlier ones had allocated (a cold fleet characterize peaked at 383 MiB, a warm one at 183)
    for (const [k, files] of cache.batches.entries()) {
      await withDb(async (b) => {
        await buildPass(b, cache, files);
        await onLanes(b, [...DERIVED_NAMES.entries()], (lane, [i, n]) =>
          lane.exec(
            `COPY (${DERIVED_TABLES[n]}) TO ${quoteString(parts[k]![i]!)} (FORMAT parquet, COMPRESSION zstd)`,
          ),
        );
      }, 1);
    }
    for (const [i, n] of DERIVED_NAMES.entries()) {
      const list = `[${parts.map((p) => quoteString(p[i]!)).join(", ")}]`;
      await writeQueryParquet(
        db,
        `SELECT * FROM read_parquet(${list}, hive_partitioning = false)`,
        cache.files[n],
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { rest: Promise.resolve() };
}

/** Ids of the `sig` part built from one lane's runs start at its index times this. */
const SID_PART = 2 ** 40;

/**
 * `sig`, `sig_calls` and `models` as tables, `argv` as a view over `sig`: in the database, not
 * TEMP, so that every lane (`onLanes`) sees them. From the stored groups of `files` (the runs cut
 * into one part per lane, each part's `sig` rows built at once on its lane: rows of two runs never
 * group together, and no derived table depends on the order of `sig` or on its ids, only on their
 * being distinct), or, with none, from the scan of the events (`cache.sigSql`).
 */
async function buildPass(db: Db, cache: Cache, files?: readonly string[]): Promise<string> {
  let sigParts = 0;
  if (files === undefined) {
    // a scan of every event is the one big query here: it gets every core, the session's other
    // queries (over ≤ 10^5 rows) one thread (see characterize.ts)
    await db.exec(`SET threads TO ${maxThreads()}`);
    try {
      await db.exec(`CREATE OR REPLACE TABLE sig AS ${cache.sigSql}`);
    } finally {
      await db.exec("SET threads TO 1");
    }
  } else {
    const parts = cutInto(files, Math.min(maxThreads(), files.length));
    const models = allArgModels();
    // the models table (≈ 8 ms) on whichever lane finishes its part first, not alone after them
    const items = [
      ...parts.map(
        (part, k) =>
          `CREATE OR REPLACE TABLE sig_${k} AS ${signatureFromGroups(storedGroupsSelect(part), models, k * SID_PART)}`,
      ),
      cache.modelsSql,
    ];
    await onLanes(db, items, (lane, sql) => lane.exec(sql));
    await db.exec(
      `CREATE OR REPLACE VIEW sig AS ${parts.map((_, k) => `SELECT * FROM sig_${k}`).join(" UNION ALL ")}`,
    );
    sigParts = parts.length;
  }
  await db.exec(`CREATE OR REPLACE TABLE sig_calls AS ${SIG_CALLS_SQL}`);
  if (files === undefined) await db.exec(cache.modelsSql);
  // a view: each of its four readers unpivots sig again (≈25 ms of CPU each), still less than
  // materializing its 10^5 rows of strings once (≈150 ms, measured on the analyze bench)
  await db.exec(`CREATE OR REPLACE VIEW argv AS ${argValuesSelect("sig")}`);
  // what the build made, dropped (the session goes on with the results)
  const drop = ["DROP VIEW argv", "DROP TABLE sig_calls", "DROP TABLE models"];
  if (sigParts === 0) drop.push("DROP TABLE sig");
  else drop.push("DROP VIEW sig", ...Array.from({ length: sigParts }, (_, k) => `DROP TABLE sig_${k}`));
  return drop.join("; ");
}

/** `items` cut into `n` runs of consecutive items, as even as can be. */
function cutInto<T>(items: readonly T[], n: number): T[][] {
  return Array.from({ length: n }, (_, k) =>
    items.slice(Math.floor((k * items.length) / n), Math.floor(((k + 1) * items.length) / n)),
  );
}
