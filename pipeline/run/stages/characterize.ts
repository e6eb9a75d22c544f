/**
 * The characterize stage: `characterize` of the entry's image on a linked view of its dataset;
 * keeps syscalls.parquet, syscalls_by.parquet, args.parquet and characterize.json.
 */
import { join } from "node:path";
import { characterize } from "../../analyze/characterize.ts";
import { resultDir } from "../../analyze/write.ts";
import type { StageContext } from "../types.ts";
import { linkDataset } from "./dataset-view.ts";
import { DATASET } from "./ingest.ts";
import { keepFrom } from "./keep.ts";

export function characterizeStage(image: string, ingestId: string) {
  return async (ctx: StageContext): Promise<void> => {
    const view = linkDataset(join(ctx.dep(ingestId), DATASET), join(ctx.dir, "view"));
    const [r] = await characterize({ dataset: view, image });
    keepFrom(resultDir(view, "characterize", image), ctx.dir, view);
    ctx.log(`${image}: ${r?.syscalls.length ?? 0} syscall types`);
  };
}
