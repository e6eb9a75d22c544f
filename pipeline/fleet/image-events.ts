/**
 * One image's events, read from its own partition folder (`events/image=P/run=R/*.parquet`) rather
 * than a glob over the whole dataset filtered to the image: a one-image stage run for every image
 * of a fleet (`--all-images`) then lists and plans only that image's files, so its time and memory
 * do not grow with the other images (synthesize over 1,000 runs / 200 images, measured: see
 * docs/benchmarks.md, fleet).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { quoteString } from "../duckdb.ts";
import { partitionValue } from "../ingest/partitions.ts";

/** The sorted entries of `dir` that `keep` accepts (none when it is missing). */
function entries(dir: string, keep: (name: string, isDir: boolean) => boolean): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => keep(e.name, e.isDirectory()))
      .map((e) => e.name)
      .sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw e;
  }
}

/** The run folders of `image` in `dataset` (`…/events/image=P/run=R`), sorted. */
export function imageRunDirs(dataset: string, image: string): string[] {
  const dir = join(dataset, "events", `image=${partitionValue(image)}`);
  return entries(dir, (n, isDir) => isDir && n.startsWith("run=")).map((r) => join(dir, r));
}

/** The events files (`*.parquet`) of every run of `image`, sorted. */
export function imageEventFiles(dataset: string, image: string): string[] {
  return imageRunDirs(dataset, image).flatMap((d) =>
    entries(d, (n, isDir) => !isDir && n.endsWith(".parquet")).map((f) => join(d, f)),
  );
}

/**
 * `image`'s events as a DuckDB table expression with the dataset's columns (`image` and `run` from
 * the folders, as text), or null when its runs have no events files. Partition values stay text:
 * DuckDB's default would type them from the files listed (a run named `1` read alone becomes a
 * BIGINT, among the whole dataset's runs text), and one image's columns must not depend on the
 * other images.
 */
export function imageEventsSource(dataset: string, image: string): string | null {
  const files = imageEventFiles(dataset, image);
  if (files.length === 0) return null;
  const list = `[${files.map((f) => quoteString(f)).join(", ")}]`;
  return `read_parquet(${list}, hive_partitioning = true, hive_types_autocast = false)`;
}
