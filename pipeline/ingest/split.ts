/**
 * The runs a scap capture of a host was split into by container image (one per image besides the
 * capture's own), summed over its files from the workers' counts, and checked against the other
 * runs of the same ingest.
 */
import type { ImageCounts } from "../../stages/scap/image-split.ts";
import { UsageError } from "../errors.ts";
import type { FileWork } from "./file-work.ts";
import type { CaptureInput } from "./inputs.ts";
import type { SegmentStats } from "./tasks.ts";

/** Which source holds each run (`image NUL run`): the job's captures' own runs to start with. */
export function runOwners(captures: readonly CaptureInput[]): Map<string, string> {
  return new Map<string, string>(captures.map((c) => [`${c.image}\u0000${c.run}`, c.source]));
}

/**
 * Per capture: image → counts of its rows, sorted by image. Throws when two runs would coincide.
 * `owner` (runOwners of the whole job, when it is read in batches) gains the runs split off.
 */
export function splitImages(
  captures: readonly CaptureInput[],
  work: readonly FileWork[],
  segmentStats: ReadonlyMap<FileWork, readonly SegmentStats[]>,
  owner: Map<string, string> = runOwners(captures),
): Map<string, ImageCounts>[] {
  const out = captures.map(() => new Map<string, ImageCounts>());
  for (const w of work) {
    for (const r of segmentStats.get(w) ?? []) {
      for (const [image, n] of Object.entries(r.images ?? {})) {
        const m = out[w.capture]!;
        const c = m.get(image) ?? { events: 0, eventLines: 0, unfinishedNeverResumed: 0 };
        c.events += n.events;
        c.eventLines += n.eventLines;
        c.unfinishedNeverResumed += n.unfinishedNeverResumed;
        m.set(image, c);
      }
    }
  }
  return out.map((m, ci) => {
    const c = captures[ci]!;
    for (const image of m.keys()) {
      const key = `${image}\u0000${c.run}`;
      const other = owner.get(key);
      if (other !== undefined) {
        throw new UsageError(
          `run "${c.run}" of image "${image}" would hold both the containers of ${c.source} and ${other} (use --run or --image to tell them apart)`,
        );
      }
      owner.set(key, `the containers of ${c.source}`);
    }
    return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
