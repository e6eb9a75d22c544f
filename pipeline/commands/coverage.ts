/**
 * `sandmine coverage DATASET [--image NAME | --all-images] [--workers N] [--max-memory SIZE] [--json] [--unit auto|run|test] [--max-p-new P] [--min-runs N] [--orders N] [--seed SEED]`.
 */
import { defineCommand } from "../command.ts";
import { coverage } from "../analyze/coverage.ts";
import { ESTIMATOR_OPTIONS, estimatorOptions } from "../analyze/options.ts";
import { coverageText } from "../analyze/text-tables.ts";
import { toJson } from "../analyze/write.ts";
import { forAllImages, prepareAll } from "../fleet/all-images.ts";
import { analysisTarget, imageOptions } from "../fleet/options.ts";
import { UsageError } from "../errors.ts";
import { reach } from "../reach/reach.ts";
import { coverageBound, type CoverageBound } from "../../stages/reach/coverage-bound.ts";
import type { ImageCoverage } from "../../schemas/coverage.ts";

/** Chao2 of the syscall types beside what the image's code can reach (issue 17's sanity bound). */
async function staticBound(
  rootfs: string,
  dataset: string,
  image: string,
  chao2: number,
): Promise<CoverageBound> {
  const r = await reach({ rootfs, dataset, image });
  return coverageBound(chao2, r.minedSet, r.reachableSet);
}

export const coverageCommand = defineCommand({
  name: "coverage",
  summary:
    "Discovery curves and unseen-unit estimators across runs (syscall types and argument rules), with a verdict.\n" +
    "Writes DATASET/coverage/image=NAME/{coverage.json,summary,curve,leave_one_out}.parquet.",
  args: "DATASET",
  options: {
    ...imageOptions("print one JSON object per image (one per line) instead of tables"),
    rootfs: {
      type: "string",
      placeholder: "DIR",
      description:
        "with --image: the image's root filesystem (folder or docker export tar); Chao2 is shown beside |M| and the statically reachable |S| (sandmine reach) and flagged above |S ∪ M|",
    },
    ...ESTIMATOR_OPTIONS,
  },
  async run(o, positionals) {
    const { dataset, image, concurrency } = analysisTarget(o, positionals);
    if (o.rootfs !== undefined && image === undefined)
      throw new UsageError("--rootfs takes one image (--image NAME): each image has its own root filesystem");
    const opts = estimatorOptions(o);
    let results: ImageCoverage[];
    if (image !== undefined) results = await coverage({ dataset, image }, opts);
    else {
      await prepareAll(dataset);
      // --json: each image printed as soon as those before it are, then dropped (the text
      // table is laid out over every image, so it keeps them)
      const print = o.json
        ? (rs: ImageCoverage[]) => rs.forEach((r) => process.stdout.write(toJson(r) + "\n"))
        : undefined;
      const each = await forAllImages(
        dataset,
        { label: "coverage", concurrency, quiet: o.quiet },
        (im) => coverage({ dataset, image: im }, opts),
        () => 0,
        print,
      );
      if (print) return 0;
      results = each.flat();
    }
    const bound =
      o.rootfs !== undefined && results[0] !== undefined
        ? await staticBound(o.rootfs, dataset, results[0].image, results[0].chao2)
        : undefined;
    if (o.json) {
      for (const r of results)
        process.stdout.write(toJson(bound && r === results[0] ? { ...r, static_bound: bound } : r) + "\n");
    } else {
      process.stdout.write(coverageText(results));
      if (bound)
        process.stdout.write(
          `static bound (${o.rootfs}): |M| ${bound.mined}, |S| ${bound.reachable}, |S ∪ M| ${bound.union}; ${bound.note}\n`,
        );
    }
    return 0;
  },
});
