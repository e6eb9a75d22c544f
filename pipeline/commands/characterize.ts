/**
 * `sandmine characterize DATASET [--image NAME | --all-images] [--workers N] [--json]`.
 */
import { defineCommand, exactlyOne } from "../command.ts";
import { characterize } from "../analyze/characterize.ts";
import { allImagesOptions, checkImageChoice } from "../fleet/options.ts";
import { forAllImages, prepareAll } from "../fleet/all-images.ts";
import { applyMaxMemory } from "../memory.ts";
import { characterizeTable } from "../analyze/text-tables.ts";
import { toJson } from "../analyze/write.ts";

export const characterizeCommand = defineCommand({
  name: "characterize",
  summary:
    "Syscall types and argument values per image, run, process and phase, and the paper's rule counts.\n" +
    "Writes DATASET/characterize/image=NAME/{syscalls,syscalls_by,args}.parquet and characterize.json.",
  args: "DATASET",
  options: {
    image: { type: "string", placeholder: "NAME", description: "only this image" },
    ...allImagesOptions,
    json: {
      type: "boolean",
      default: false,
      description: "print one JSON object per image (one per line) instead of tables",
    },
  },
  async run(o, positionals) {
    const dataset = exactlyOne(positionals, "DATASET");
    const image = checkImageChoice(o.image, o.allImages);
    const { concurrency } = applyMaxMemory(o.maxMemory, o.workers);
    let results;
    if (image !== undefined) results = await characterize({ dataset, image });
    else {
      await prepareAll(dataset);
      const each = await forAllImages(
        dataset,
        { label: "characterize", concurrency, quiet: o.quiet },
        (im) => characterize({ dataset, image: im }),
        (r) => r.reduce((n, x) => n + x.events, 0),
      );
      results = each.flat();
    }
    for (const r of results) {
      process.stdout.write(o.json ? toJson(r) + "\n" : characterizeTable(r) + "\n");
    }
    return 0;
  },
});
