/**
 * The characterize stage run on a dataset: the prepared summaries (pipeline/analyze/prepare.ts,
 * computed once for every image and cached), the paper's rule counts, results written per image as
 * Parquet and JSON under DATASET/characterize/image=NAME/. The JSON's rows are read once for every
 * image from the same prepared views the Parquet files are written from.
 */
import { byImage } from "./by-image.ts";
import { join } from "node:path";
import { paperRuleCounts, type DerivedTable, type PaperTuples } from "../../stages/characterize/index.ts";
import type { ArgRow, ImageCharacterization, SyscallRow } from "../../schemas/characterize.ts";
import { quoteString, withDbAfter, type Db } from "../duckdb.ts";
import { planCache, selectImages, withPrepared, type AnalyzeScope, type CachePlan } from "./prepare.ts";
import { writeAtomic } from "../atomic-write.ts";
import { resultDir, toJson, writeQueriesParquet, type QueryFile } from "./write.ts";

/** @deprecated import them from schemas/characterize.ts (re-exported for work begun before they moved) */
export type { ArgRow, ImageCharacterization, SyscallRow } from "../../schemas/characterize.ts";

const forImage = (sql: string, image: string): string =>
  `SELECT * EXCLUDE (image) FROM (${sql}) WHERE image = ${quoteString(image)}`;

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));

/**
 * What every image's results are cut from: the prepared views of the summaries (in the queries'
 * order, every image), and the rows the rule counts need, grouped by image.
 */
interface Summaries {
  /** the syscall and argument rows of the JSON, as the Parquet files hold them (no image column) */
  syscallRows: Map<string, SyscallRow[]>;
  argRows: Map<string, ArgRow[]>;
  governed: Map<string, { image: string; syscall: string; calls: bigint }[]>;
  tuples: Map<string, (PaperTuples & { image: string })[]>;
  totals: Map<string, { image: string; runs: bigint; events: bigint }[]>;
}

/** Rows of every image, cut per image, each without its `image` key (the other keys in order). */
function perImage<T extends { image: string }, R>(
  rows: readonly T[],
  f: (r: Omit<T, "image">) => R,
): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const [image, list] of byImage(rows)) {
    out.set(
      image,
      list.map((r) => {
        const { image: cut, ...rest } = r;
        void cut;
        return f(rest);
      }),
    );
  }
  return out;
}

async function summaries(db: Db): Promise<Summaries> {
  // the JSON's rows are read from the prepared views, once for every image: the same rows and
  // types as the per-image Parquet files written from them (both are Parquet round trips)
  const syscallRows = perImage(
    await db.query<SyscallRow & { image: string }>("SELECT * FROM a_syscalls"),
    (r) => ({
      ...r,
      calls: num(r.calls),
    }),
  );
  const argRows = perImage(
    await db.query<ArgRow & { image: string; top_values: string }>(
      "SELECT * REPLACE (to_json(top_values)::VARCHAR AS top_values) FROM a_args",
    ),
    (r) => ({
      ...r,
      calls: num(r.calls),
      mask_union: r.mask_union === null ? null : num(r.mask_union),
      top_values: JSON.parse(r.top_values) as { value: string; calls: number }[],
    }),
  );
  return {
    syscallRows,
    argRows,
    governed: byImage(
      await db.query<{ image: string; syscall: string; calls: bigint }>("SELECT * FROM a_governed"),
    ),
    tuples: byImage(await db.query<PaperTuples & { image: string }>("SELECT * FROM a_tuples")),
    totals: byImage(
      await db.query<{ image: string; runs: bigint; events: bigint }>("SELECT * FROM a_totals"),
    ),
  };
}

/** The derived tables characterize reads. */
export const CHARACTERIZE_TABLES: readonly DerivedTable[] = [
  "a_syscalls",
  "a_syscalls_by",
  "a_args",
  "a_governed",
  "a_tuples",
  "a_totals",
];

/**
 * The characterize stage: every image of the dataset (or the one asked for), each written under
 * DATASET/characterize/image=NAME/ and returned in image order.
 */
export async function characterize(scope: AnalyzeScope): Promise<ImageCharacterization[]> {
  const images = selectImages(scope.dataset, scope.image);
  // one DuckDB thread: the queries read tables of ≤ 10^5 rows, where a second thread costs more
  // CPU (and, on a busy machine, wall time) than it gives (measured on the analyze bench)
  return withDbAfter(
    () => planCache(scope.dataset, scope.image),
    (db, plan) => characterizeOn(db, scope, images, plan),
    1,
  );
}

/**
 * `characterize` in an open session (`sandmine analyze` runs coverage in the same one): the views
 * of its tables made (the cache of `plan` built when it is not there), then `images` written.
 */
export function characterizeOn(
  db: Db,
  scope: AnalyzeScope,
  images: readonly string[],
  plan: CachePlan,
): Promise<ImageCharacterization[]> {
  return withPrepared(db, scope.dataset, scope.image, CHARACTERIZE_TABLES, plan, async () => {
    // (writing the Parquet results on a second connection beside the rest saved ≤ 20 ms of wall
    // time for ≈ 30 ms more CPU on the analyze bench, and an image's lanes would double up under
    // --all-images: not done)
    const all = await summaries(db);
    // the Parquet files are written (one DuckDB call, on a libuv thread) while the JSON is made
    // on the JavaScript one; the JSON files are written after the Parquet files, as before
    const writing = writeQueriesParquet(
      db,
      images.flatMap((image) => imageTables(scope.dataset, image)),
    );
    let out: { result: ImageCharacterization; json: string; file: string }[];
    try {
      out = images.map((image) => characterizeImage(scope.dataset, image, all));
    } finally {
      await Promise.allSettled([writing]);
    }
    await writing;
    for (const o of out) writeAtomic(o.file, o.json);
    return out.map((o) => o.result);
  });
}

/** `image`'s Parquet results (syscalls, per run/process/phase, arguments): queries and files. */
function imageTables(dataset: string, image: string): QueryFile[] {
  const dir = resultDir(dataset, "characterize", image);
  return (
    [
      ["a_syscalls", "syscalls.parquet"],
      ["a_syscalls_by", "syscalls_by.parquet"],
      ["a_args", "args.parquet"],
    ] as const
  ).map(([view, file]) => ({ sql: forImage(`SELECT * FROM ${view}`, image), file: join(dir, file) }));
}

/** Characterizes `image` from the summaries: the result, its JSON text and file (written by the caller). */
function characterizeImage(
  dataset: string,
  image: string,
  all: Summaries,
): { result: ImageCharacterization; json: string; file: string } {
  const dir = resultDir(dataset, "characterize", image);
  const syscalls = all.syscallRows.get(image) ?? [];
  const args = all.argRows.get(image) ?? [];
  const rules = paperRuleCounts(
    (all.governed.get(image) ?? []).map((g) => ({ syscall: g.syscall, calls: num(g.calls) })),
    (all.tuples.get(image) ?? []).map(({ syscall, tuples, has_path }) => ({ syscall, tuples, has_path })),
  );
  const totals = all.totals.get(image)?.[0];
  const result: ImageCharacterization = {
    image,
    runs: num(totals?.runs ?? 0),
    events: num(totals?.events ?? 0),
    rules: { ...rules, type_rules_all_phases: syscalls.length },
    syscalls,
    args,
  };
  return { result, json: toJson(result, 1) + "\n", file: join(dir, "characterize.json") };
}
