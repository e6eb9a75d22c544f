/**
 * `sandmine characterize DATASET [--image NAME | --all-images] [--workers N] [--json]`.
 */
import { defineCommand } from "../command.ts";
import { characterize } from "../analyze/characterize.ts";
import { analysisTarget, imageOptions } from "../fleet/options.ts";
import { forAllImages, prepareAll } from "../fleet/all-images.ts";
import { characterizeTable } from "../analyze/text-tables.ts";
import { toJson } from "../analyze/write.ts";
import type { ImageCharacterization } from "../../schemas/characterize.ts";
import { UsageError } from "../errors.ts";
import { characterizeReach } from "../reach/characterize-hook.ts";
import { reachSummaryText } from "../../stages/reach/summary.ts";

export const characterizeCommand = defineCommand({
  name: "characterize",
  summary:
    "Syscall types and argument values per image, run, process and phase, and the paper's rule counts.\n" +
    "Writes DATASET/characterize/image=NAME/{syscalls,syscalls_by,args}.parquet and characterize.json; with --rootfs also reach.json " +
    "(the mined set M beside the statically reachable S: M\\S explained, S\\M by risk and by likelihood).",
  args: "DATASET",
  options: {
    ...imageOptions("print one JSON object per image (one per line) instead of tables"),
    rootfs: {
      type: "string",
      placeholder: "DIR",
      description:
        "with --image: the image's root filesystem (folder or docker export tar); adds the comparison with what its binaries can reach (sandmine reach), written to reach.json and shown by report",
    },
    "exclude-runs": {
      type: "list",
      placeholder: "RUN,…",
      description: "with --rootfs: runs left out of the comparison's M (held-out use cases)",
    },
  },
  async run(o, positionals) {
    const { dataset, image, concurrency } = analysisTarget(o, positionals);
    if (o.rootfs !== undefined && image === undefined)
      throw new UsageError("--rootfs takes one image (--image NAME): each image has its own root filesystem");
    if (o.excludeRuns !== undefined && o.rootfs === undefined)
      throw new UsageError("--exclude-runs needs --rootfs DIR");
    type Reach = Awaited<ReturnType<typeof characterizeReach>>;
    const print = (r: ImageCharacterization, withReach?: Reach): void => {
      if (o.json) process.stdout.write(toJson(withReach ? { ...r, reach: withReach } : r) + "\n");
      else
        process.stdout.write(
          characterizeTable(r) + "\n" + (withReach ? "\n" + reachSummaryText(withReach) + "\n" : ""),
        );
    };
    if (image === undefined) {
      await prepareAll(dataset);
      // each image printed as soon as those before it are, then dropped (memory flat in the fleet)
      await forAllImages(
        dataset,
        { label: "characterize", concurrency, quiet: o.quiet },
        (im) => characterize({ dataset, image: im }),
        (r) => r.reduce((n, x) => n + x.events, 0),
        (rs) => rs.forEach((r) => print(r)),
      );
      return 0;
    }
    const results = await characterize({ dataset, image });
    const reach =
      o.rootfs !== undefined
        ? await characterizeReach({
            dataset,
            image,
            rootfs: o.rootfs,
            ...(o.excludeRuns ? { excludeRuns: o.excludeRuns } : {}),
          })
        : undefined;
    for (const r of results) print(r, reach && r.image === reach.image ? reach : undefined);
    return 0;
  },
});
