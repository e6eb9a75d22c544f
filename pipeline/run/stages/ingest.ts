/**
 * The ingest stage: the runs a record or captures stage listed, ingested into the entry's own
 * dataset (`dataset/` in the stage's folder). The dataset's bytes do not depend on the worker
 * count (ingest's guarantee), so `--workers` is not part of the key.
 */
import { join, resolve } from "node:path";
import { ingest } from "../../ingest/ingest.ts";
import { captureFromPath, type CaptureInput } from "../../ingest/inputs.ts";
import type { StageContext } from "../types.ts";
import { readCaptures } from "./captures-file.ts";

export const DATASET = "dataset";

export function ingestStage(upstream: string) {
  return async (ctx: StageContext): Promise<void> => {
    const from = ctx.dep(upstream);
    const captures: CaptureInput[] = readCaptures(from).map((c) => ({
      ...captureFromPath(resolve(from, c.path), {
        image: c.image,
        run: c.run,
        format: c.format,
        labels: c.labels,
      }),
      source: c.source,
    }));
    const s = await ingest({
      captures,
      out: join(ctx.dir, DATASET),
      workers: ctx.workers,
      arch: "x86_64",
      replace: false,
      quiet: true,
    });
    ctx.log(`ingested ${captures.length} run(s): ${s.events} events, ${s.rejected} rejected`);
  };
}
