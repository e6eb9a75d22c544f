/**
 * A stage's own view of an upstream dataset: the committed runs and the tables hard-linked into
 * the stage's work folder (copied where links cannot be made), so that characterize, coverage,
 * synthesize and check write their derived folders there and never into the ingest stage's
 * published outputs, which must stay as their record describes them.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const TABLES = ["runs.parquet", "rejects.parquet", "manifest.json"];

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const a = join(from, e.name);
    const b = join(to, e.name);
    if (e.isDirectory()) linkTree(a, b);
    else if (e.isFile()) linkOrCopy(a, b);
  }
}

function linkOrCopy(a: string, b: string): void {
  try {
    linkSync(a, b);
  } catch {
    copyFileSync(a, b);
  }
}

/** Links the dataset at `from` into `to` (events, and the tables unless `tables: false`); returns `to`. */
export function linkDataset(
  from: string,
  to: string,
  o: { images?: readonly string[]; tables?: boolean } = {},
): string {
  const { images, tables = true } = o;
  mkdirSync(join(to, "events"), { recursive: true });
  for (const e of readdirSync(join(from, "events"), { withFileTypes: true })) {
    if (!e.isDirectory() || (images && !images.includes(e.name.replace(/^image=/, "")))) continue;
    linkTree(join(from, "events", e.name), join(to, "events", e.name));
  }
  if (tables)
    for (const t of TABLES)
      if (statSync(join(from, t), { throwIfNoEntry: false })) linkOrCopy(join(from, t), join(to, t));
  return to;
}

/** Removes a linked view (after the stage moved out what it keeps). */
export const dropView = (dir: string): void => rmSync(dir, { recursive: true, force: true });
