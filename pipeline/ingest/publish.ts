/**
 * Moving an ingest's staged partitions into the dataset. Every run is checked before anything is
 * published: a run given twice, or one the dataset already holds without `--replace`, is a usage
 * error, for the captures' own runs (before any work) and for the runs split off by container
 * image (after the parse pass, which finds them).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ImageCounts } from "../../stages/scap/image-split.ts";
import { UsageError } from "../errors.ts";
import type { CaptureInput } from "./inputs.ts";
import { partitionDir } from "./partitions.ts";
import { staleSplits } from "./split.ts";

/** A run of the dataset. */
export interface RunId {
  image: string;
  run: string;
}

/** Throws UsageError when a run is given twice or exists in `out` (unless `replace`). */
export function checkNewRuns(captures: readonly CaptureInput[], out: string, replace: boolean): void {
  const seen = new Set<string>();
  for (const c of captures) {
    const key = `${c.image}\u0000${c.run}`;
    if (seen.has(key)) throw new UsageError(`run "${c.run}" of image "${c.image}" is given twice`);
    seen.add(key);
    if (existsSync(partitionDir(out, c)) && !replace) {
      throw new UsageError(
        `${out}: run "${c.run}" of image "${c.image}" already exists (use --run to name it differently, or --replace)`,
      );
    }
  }
}

/**
 * Publishes the staged partitions of `captures` and of the runs split off them (`images`, per
 * capture), replacing what `out` held for them and removing the stale split-off runs of an earlier
 * ingest (with `replace`). Returns those stale runs (for the runs table).
 */
export function publishRuns(
  out: string,
  staging: string,
  captures: readonly CaptureInput[],
  images: readonly ReadonlyMap<string, ImageCounts>[],
  replace: boolean,
): RunId[] {
  const derived = images.flatMap((list, ci) => [...list.keys()].map((image) => ({ ci, image })));
  for (const { ci, image } of derived) {
    const c = captures[ci]!;
    if (existsSync(partitionDir(out, { image, run: c.run })) && !replace) {
      throw new UsageError(
        `${out}: run "${c.run}" of image "${image}" (containers of ${c.source}) already exists (use --run, --image or --replace)`,
      );
    }
  }
  const stale = replace ? staleSplits(out, captures, images) : [];
  for (const d of stale) rmSync(partitionDir(out, d), { recursive: true, force: true });
  for (const { ci, image } of derived) {
    const d = { image, run: captures[ci]!.run };
    const final = partitionDir(out, d);
    rmSync(final, { recursive: true, force: true });
    mkdirSync(join(final, ".."), { recursive: true });
    renameSync(partitionDir(staging, d), final);
  }
  for (const c of captures) {
    const final = partitionDir(out, c);
    rmSync(final, { recursive: true, force: true });
    mkdirSync(join(final, ".."), { recursive: true });
    const staged = partitionDir(staging, c);
    if (existsSync(staged)) renameSync(staged, final);
    else mkdirSync(final, { recursive: true });
  }
  return stale;
}
