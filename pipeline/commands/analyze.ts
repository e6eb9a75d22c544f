/**
 * `sandmine analyze DATASET [--image NAME | --all-images] [--workers N] [--max-memory SIZE] [--json] [coverage's options]`.
 */
import { defineCommand } from "../command.ts";
import { analyze, type Analysis } from "../analyze/analyze.ts";
import { ESTIMATOR_OPTIONS, estimatorOptions } from "../analyze/options.ts";
import { characterizeTable, coverageText } from "../analyze/text-tables.ts";
import { toJson } from "../analyze/write.ts";
import { forAllImages, prepareAll } from "../fleet/all-images.ts";
import { analysisTarget, imageOptions } from "../fleet/options.ts";
import type { ImageCharacterization } from "../../schemas/characterize.ts";
import type { ImageCoverage } from "../../schemas/coverage.ts";

export const analyzeCommand = defineCommand({
  name: "analyze",
  summary:
    "Characterize, then coverage, in one process: the same files as the two commands (byte for byte), and their output one after the other.\n" +
    "One process and one DuckDB session instead of two: Node's start, the program's load and DuckDB's are paid once.",
  args: "DATASET",
  options: {
    ...imageOptions(
      "print one JSON object per image and stage (one per line: characterize's, then coverage's) instead of tables",
    ),
    ...ESTIMATOR_OPTIONS,
  },
  async run(o, positionals) {
    const { dataset, image, concurrency } = analysisTarget(o, positionals);
    const opts = estimatorOptions(o);
    const printCharacterized = (r: ImageCharacterization): void => {
      process.stdout.write(o.json ? toJson(r) + "\n" : characterizeTable(r) + "\n");
    };
    const printCoverage = (rs: readonly ImageCoverage[]): void => {
      if (o.json) for (const r of rs) process.stdout.write(toJson(r) + "\n");
      else process.stdout.write(coverageText(rs));
    };
    if (image !== undefined) {
      const a = await analyze({ dataset, image }, opts);
      a.characterize.forEach(printCharacterized);
      printCoverage(a.coverage);
      return 0;
    }
    await prepareAll(dataset);
    // each image's characterization printed as soon as those before it are, then dropped; its
    // coverage kept (the text table is laid out over every image), printed after them all
    const covered: ImageCoverage[] = [];
    await forAllImages(
      dataset,
      { label: "analyze", concurrency, quiet: o.quiet },
      (im) => analyze({ dataset, image: im }, opts),
      (a: Analysis) => a.characterize.reduce((n, x) => n + x.events, 0),
      (a) => {
        a.characterize.forEach(printCharacterized);
        covered.push(...a.coverage);
      },
    );
    printCoverage(covered);
    return 0;
  },
});
