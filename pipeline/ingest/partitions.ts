/**
 * Where a run's events go: `ROOT/events/image=IMAGE/run=RUN`, with the values encoded the way
 * DuckDB's hive partitioning decodes them.
 */
import { join } from "node:path";

/** The partition folder of run `c` under `root` (the dataset, or the ingest's staging folder). */
export function partitionDir(root: string, c: { image: string; run: string }): string {
  return join(root, "events", `image=${partitionValue(c.image)}`, `run=${partitionValue(c.run)}`);
}

/** Encodes a partition value the way DuckDB's hive partitioning decodes it. */
export function partitionValue(v: string): string {
  return v.replace(/[^A-Za-z0-9._:+@-]/g, (c) =>
    [...Buffer.from(c)].map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join(""),
  );
}

/** The name a partition folder's value stands for (what DuckDB's hive partitioning reads from it). */
export function partitionName(folderValue: string): string {
  try {
    return decodeURIComponent(folderValue);
  } catch {
    return folderValue; // not written by partitionValue: taken as it is, as DuckDB does
  }
}
