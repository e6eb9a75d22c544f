/**
 * The coverage stage: `coverage` of the entry's image with the study's options on a linked view
 * of its dataset; keeps coverage.json, summary.parquet, curve.parquet and leave_one_out.parquet.
 */
import { join } from "node:path";
import { coverage } from "../../analyze/coverage.ts";
import { resultDir } from "../../analyze/write.ts";
import type { LoadedStudy, StageContext } from "../types.ts";
import { linkDataset } from "./dataset-view.ts";
import { DATASET } from "./ingest.ts";
import { keepFrom } from "./keep.ts";

export function coverageStage(image: string, ingestId: string, o: LoadedStudy["coverage"]) {
  return async (ctx: StageContext): Promise<void> => {
    const view = linkDataset(join(ctx.dep(ingestId), DATASET), join(ctx.dir, "view"));
    const [r] = await coverage(
      { dataset: view, image },
      {
        unit: o.unit,
        thresholds: { maxPNew: o.max_p_new, minRuns: o.min_runs },
        orders: o.orders,
        seed: o.seed,
      },
    );
    keepFrom(resultDir(view, "coverage", image), ctx.dir, view);
    if (r) ctx.log(`${image}: ${r.observed} types seen, chao2 ${r.chao2.toFixed(1)}, ${r.verdict}`);
  };
}
