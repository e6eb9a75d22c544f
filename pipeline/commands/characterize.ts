/**
 * `sandmine characterize DATASET [--image NAME] [--json]`.
 */
import type { Command } from "../cli.ts";
import { UsageError } from "../errors.ts";
import { characterize } from "../analyze/characterize.ts";
import { characterizeTable } from "../analyze/tables.ts";
import { toJson } from "../analyze/write.ts";

export const characterizeCommand: Command = {
  summary:
    "Syscall types and argument values per image, run, process and phase, and the paper's rule counts.\n" +
    "Writes DATASET/characterize/image=NAME/{syscalls,syscalls_by,args}.parquet and characterize.json.",
  usage: "characterize DATASET [--image NAME] [--json]",
  options: {
    image: { type: "string" },
    json: { type: "boolean", default: false },
  },
  describe: {
    image: "only this image",
    json: "print one JSON object per image (one per line) instead of tables",
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new UsageError("give exactly one DATASET");
    const results = await characterize({ dataset: positionals[0]!, image: v.image as string | undefined });
    for (const r of results) {
      process.stdout.write(v.json ? toJson(r) + "\n" : characterizeTable(r) + "\n");
    }
    return 0;
  },
};
