/**
 * `sandmine characterize DATASET [--image NAME] [--json]`.
 */
import { defineCommand, exactlyOne } from "../command.ts";
import { characterize } from "../analyze/characterize.ts";
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
    json: {
      type: "boolean",
      default: false,
      description: "print one JSON object per image (one per line) instead of tables",
    },
  },
  async run(o, positionals) {
    const dataset = exactlyOne(positionals, "DATASET");
    const results = await characterize({ dataset: dataset, image: o.image });
    for (const r of results) {
      process.stdout.write(o.json ? toJson(r) + "\n" : characterizeTable(r) + "\n");
    }
    return 0;
  },
});
