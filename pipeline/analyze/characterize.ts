/**
 * The characterize stage run on a dataset: queries over `sig`/`argv`, the paper's rule counts,
 * results written per image as Parquet and JSON under DATASET/characterize/image=NAME/. Each
 * summary is computed once: written to Parquet, then read back from the file for the JSON.
 */
import { join } from "node:path";
import {
  ARGS_SQL,
  PAPER_TUPLES_SQL,
  SYSCALLS_BY_SQL,
  SYSCALLS_SQL,
  paperRuleCounts,
  type PaperTuples,
} from "../../stages/characterize/index.ts";
import type { ArgRow, ImageCharacterization, SyscallRow } from "../../schemas/characterize.ts";
import { quoteString, withDb, type Db } from "../duckdb.ts";
import { writeAtomic } from "../parquet.ts";
import { prepare, selectImages, type AnalyzeScope } from "./prepare.ts";
import { resultDir, toJson, writeQueryParquet } from "./write.ts";

/** @deprecated import them from schemas/characterize.ts (re-exported for work begun before they moved) */
export type { ArgRow, ImageCharacterization, SyscallRow } from "../../schemas/characterize.ts";

const forImage = (sql: string, image: string): string =>
  `SELECT * EXCLUDE (image) FROM (${sql}) WHERE image = ${quoteString(image)}`;

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));

/**
 * The characterize stage: every image of the dataset (or the one asked for), each written under
 * DATASET/characterize/image=NAME/ and returned in image order.
 */
export async function characterize(scope: AnalyzeScope): Promise<ImageCharacterization[]> {
  const images = selectImages(scope.dataset, scope.image);
  return withDb(async (db) => {
    await prepare(db, scope.dataset, scope.image);
    const out: ImageCharacterization[] = [];
    for (const image of images) out.push(await characterizeImage(db, scope.dataset, image));
    return out;
  });
}

/** Characterizes `image` from the prepared views and writes its results. */
async function characterizeImage(db: Db, dataset: string, image: string): Promise<ImageCharacterization> {
  const dir = resultDir(dataset, "characterize", image);
  const files = {
    syscalls: join(dir, "syscalls.parquet"),
    by: join(dir, "syscalls_by.parquet"),
    args: join(dir, "args.parquet"),
  };
  await writeQueryParquet(db, forImage(SYSCALLS_SQL, image), files.syscalls);
  await writeQueryParquet(db, forImage(SYSCALLS_BY_SQL, image), files.by);
  await writeQueryParquet(db, forImage(ARGS_SQL, image), files.args);
  const syscalls = (
    await db.query<SyscallRow>(
      `SELECT * FROM read_parquet(${quoteString(files.syscalls)}, hive_partitioning = false)`,
    )
  ).map((r) => ({ ...r, calls: num(r.calls) }));
  const args = (
    await db.query<ArgRow & { top_values: string }>(
      `SELECT * REPLACE (to_json(top_values)::VARCHAR AS top_values) FROM read_parquet(${quoteString(files.args)}, hive_partitioning = false)`,
    )
  ).map((r) => ({
    ...r,
    calls: num(r.calls),
    mask_union: r.mask_union === null ? null : num(r.mask_union),
    top_values: JSON.parse(r.top_values) as { value: string; calls: number }[],
  }));
  const governed = await db.query<{ syscall: string; calls: bigint }>(
    `SELECT syscall, sum(calls)::BIGINT AS calls FROM sig
     WHERE image = ${quoteString(image)} AND phase <> 'runtime' GROUP BY syscall`,
  );
  const tuples = await db.query<PaperTuples>(forImage(PAPER_TUPLES_SQL, image));
  const rules = paperRuleCounts(
    governed.map((g) => ({ syscall: g.syscall, calls: num(g.calls) })),
    tuples,
  );
  const [totals] = await db.query<{ runs: bigint; events: bigint }>(
    `SELECT count(DISTINCT run) AS runs, sum(calls) AS events FROM sig WHERE image = ${quoteString(image)}`,
  );
  const result: ImageCharacterization = {
    image,
    runs: num(totals?.runs ?? 0),
    events: num(totals?.events ?? 0),
    rules: { ...rules, type_rules_all_phases: syscalls.length },
    syscalls,
    args,
  };
  writeAtomic(join(dir, "characterize.json"), toJson(result, 1) + "\n");
  return result;
}
