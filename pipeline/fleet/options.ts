/**
 * The options the stages share for running over a whole fleet: `--all-images`, `--workers` (images
 * at once) and `--max-memory`.
 */
import { exactlyOne, workersOption } from "../command.ts";
import { applyMaxMemory } from "../memory.ts";
import { UsageError } from "../errors.ts";

export const allImagesOptions = {
  "all-images": {
    type: "boolean",
    default: false,
    description: "every image of the dataset, several at once, with one progress display",
  },
  workers: workersOption(
    "images processed at once with --all-images (default: number of cores); output is identical",
  ),
  "max-memory": {
    type: "string",
    placeholder: "SIZE",
    description:
      "memory budget of the process, e.g. 1G or 512M: sets the images at once (at most --workers, 128 MiB each at least) and each one's DuckDB memory_limit and threads; refused below one image's need",
  },
} as const;

/** `--image` and `--all-images` exclude each other; returns the one image asked for, if any. */
export function checkImageChoice(image: string | undefined, all: boolean): string | undefined {
  if (image !== undefined && all) throw new UsageError("give either --image or --all-images, not both");
  return image;
}

/**
 * `--image`, the fleet options and `--json` (its description `json`: what one line is), as the
 * analysis commands (characterize, coverage, analyze) take them.
 */
export function imageOptions(json: string) {
  return {
    image: { type: "string", placeholder: "NAME", description: "only this image" },
    ...allImagesOptions,
    json: { type: "boolean", default: false, description: json },
  } as const;
}

/** What an analysis command runs on: its DATASET, the one image asked for (if any) and the images at once. */
export function analysisTarget(
  o: {
    image?: string | undefined;
    allImages: boolean;
    maxMemory?: string | undefined;
    workers?: number | undefined;
  },
  positionals: readonly string[],
): { dataset: string; image: string | undefined; concurrency: number } {
  const dataset = exactlyOne(positionals, "DATASET");
  const image = checkImageChoice(o.image, o.allImages);
  return { dataset, image, concurrency: applyMaxMemory(o.maxMemory, o.workers).concurrency };
}
