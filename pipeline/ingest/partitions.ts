/**
 * Where a run's events go: `ROOT/events/image=IMAGE/run=RUN`, with the values encoded the way
 * DuckDB's hive partitioning decodes them.
 */
import { join } from "node:path";
import { partitionValue } from "./inputs.ts";

/** The partition folder of run `c` under `root` (the dataset, or the ingest's staging folder). */
export function partitionDir(root: string, c: { image: string; run: string }): string {
  return join(root, "events", `image=${partitionValue(c.image)}`, `run=${partitionValue(c.run)}`);
}
