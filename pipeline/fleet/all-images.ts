/**
 * A stage over every image of a dataset (`--all-images`): the images run `concurrency` at a time,
 * each through the stage's own one-image entry point (the same call as `--image NAME`, so each
 * image's outputs are the bytes `--image NAME` writes, each file written atomically by the stage),
 * with one progress display for the job. The analysis cache of all images is built once first:
 * the one-image calls then only read it.
 */
import { prepare, selectImages } from "../analyze/prepare.ts";
import { withDb } from "../duckdb.ts";
import { heapKeeper, memoryTrace } from "../memory.ts";
import { JobProgress } from "../progress.ts";

export interface AllImagesOptions {
  /** the stage's name in the progress display */
  label: string;
  /** images processed at once (DuckDB runs each image's queries on its own threads) */
  concurrency: number;
  quiet: boolean;
}

/**
 * Builds (or finds fresh) the analysis cache of every image, so one-image calls only read it; no
 * view of it is made (the session ends here: each image's call makes its own).
 */
export async function prepareAll(dataset: string): Promise<void> {
  await withDb((db) => prepare(db, dataset, undefined, []));
}

/**
 * Runs `one` for every image of `dataset` (sorted by name), `o.concurrency` at once; returns the
 * results in image order. The first failure stops new images from starting and is thrown once the
 * running ones settle. `events` of a result, when given, feeds the display's events/s.
 */
export async function forAllImages<R>(
  dataset: string,
  o: AllImagesOptions,
  one: (image: string) => Promise<R>,
  events: (r: R) => number = () => 0,
  emit?: (r: R) => void,
): Promise<R[]> {
  const images = selectImages(dataset);
  return forImages(images, o, one, events, emit);
}

/**
 * `forAllImages` over a given list of images. With `emit`, each result is handed to it in image
 * order as soon as the images before it are done, and dropped (the returned list is empty): what a
 * job holds is then the results of the images in flight and of those done ahead of a slower one,
 * not the whole fleet's.
 */
export async function forImages<R>(
  images: readonly string[],
  o: AllImagesOptions,
  one: (image: string) => Promise<R>,
  events: (r: R) => number = () => 0,
  emit?: (r: R) => void,
): Promise<R[]> {
  const job = new JobProgress(o.label, "images", images.length, {}, o.quiet);
  const results = new Array<R | undefined>(images.length);
  let next = 0;
  let done = 0;
  let emitted = 0;
  let eventsSoFar = 0;
  let failed: { error: unknown } | undefined;
  const flush = (): void => {
    if (!emit) return;
    while (emitted < images.length && results[emitted] !== undefined) {
      emit(results[emitted]!);
      results[emitted++] = undefined;
    }
  };
  // the heap collected as the images' dead results pile up: what the job holds stays that of a
  // few images, not of every image done so far (memory flat in the fleet)
  const keep = heapKeeper();
  const trace = memoryTrace();
  const lane = async (): Promise<void> => {
    while (failed === undefined && next < images.length) {
      const i = next++;
      let r: R;
      try {
        r = await one(images[i]!);
      } catch (error) {
        failed ??= { error };
        return;
      }
      results[i] = r;
      eventsSoFar += events(r);
      job.step("images", ++done, images.length, { finished: done, events: eventsSoFar });
      if (failed === undefined) flush();
      keep();
      trace(`${o.label} ${done}/${images.length} ${images[i]}`);
    }
  };
  const lanes = Math.max(1, Math.min(o.concurrency, images.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  // the display's last line is ended either way (the error follows it on its own line)
  job.finish();
  if (failed) throw failed.error;
  return emit ? [] : (results as R[]);
}
