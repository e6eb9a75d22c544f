/**
 * The runs a scap capture of a host was split into by container image (one per image besides the
 * capture's own), summed over its files from the workers' counts, and checked against the other
 * runs of the same ingest.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ImageCounts } from "../../stages/scap/image-split.ts";
import { UsageError } from "../errors.ts";
import type { FileWork } from "./file-work.ts";
import type { CaptureInput } from "./inputs.ts";
import type { SegmentStats } from "./tasks.ts";

/** Per capture: image → counts of its rows, sorted by image. Throws when two runs would coincide. */
export function splitImages(
  captures: readonly CaptureInput[],
  work: readonly FileWork[],
  segmentStats: ReadonlyMap<FileWork, readonly SegmentStats[]>,
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
  const owner = new Map<string, string>(captures.map((c) => [`${c.image}\u0000${c.run}`, c.source]));
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

/**
 * Runs an earlier ingest split off the captures now ingested again (`--replace`) that this ingest
 * does not produce (e.g. now read with `--image`): they are removed with the capture's own run.
 */
export function staleSplits(
  out: string,
  captures: readonly CaptureInput[],
  images: readonly ReadonlyMap<string, ImageCounts>[],
): { image: string; run: string }[] {
  const file = join(out, "manifest.json");
  if (!existsSync(file)) return [];
  const inputs = (JSON.parse(readFileSync(file, "utf8")) as { inputs?: unknown }).inputs;
  if (!Array.isArray(inputs)) return [];
  const stale: { image: string; run: string }[] = [];
  captures.forEach((c, ci) => {
    const old = inputs.find(
      (i: { image?: unknown; run?: unknown }) => i.image === c.image && i.run === c.run,
    ) as { split_images?: unknown } | undefined;
    if (!Array.isArray(old?.split_images)) return;
    for (const image of old.split_images)
      if (typeof image === "string" && !images[ci]!.has(image)) stale.push({ image, run: c.run });
  });
  return stale;
}
