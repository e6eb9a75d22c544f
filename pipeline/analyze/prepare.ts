/**
 * Opens a dataset for analysis: checks it exists, then builds the `sig`, `models` and `argv`
 * tables (stages/characterize/sql.ts) in the given DuckDB session.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  allArgModels,
  argValuesSql,
  eventsSource,
  modelsTableSql,
  signatureSql,
} from "../../stages/characterize/index.ts";
import type { Db } from "../duckdb.ts";
import { UsageError } from "../errors.ts";

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

/** Builds sig, models and argv for the dataset (one image when given). */
export async function prepare(db: Db, dataset: string, image?: string): Promise<void> {
  const models = allArgModels();
  await db.exec(signatureSql(eventsSource(dataset), models, image));
  await db.exec(modelsTableSql(models));
  await db.exec(argValuesSql());
}
