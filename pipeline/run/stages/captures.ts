/**
 * The captures stage (an entry with `captures:` instead of an experiment): the bundled runs,
 * listed with their files' sha256 for ingest. A folder holds one run per sub-folder (files beside
 * them, a README, are not runs); a manifest (.yaml) gives its entries of the entry's image.
 */
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { capturesFromManifest, captureFromPath, type CaptureInput } from "../../ingest/inputs.ts";
import { UsageError } from "../../errors.ts";
import type { HashMemo } from "../hash.ts";
import type { ResolvedEntry, StageContext } from "../types.ts";
import { writeCaptures, type CaptureEntry } from "./captures-file.ts";

/** The entry's captures as ingest inputs (files listed, nothing read). */
export function entryCaptures(e: ResolvedEntry): CaptureInput[] {
  const path = e.captures!;
  if (/\.ya?ml$/.test(path)) {
    const all = capturesFromManifest(path, "auto").filter((c) => c.image === e.name);
    if (all.length === 0) throw new UsageError(`${path}: no captures of image ${e.name}`);
    return all;
  }
  const runs = readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  if (runs.length === 0) throw new UsageError(`${path}: no run folders`);
  return runs.map((run) => captureFromPath(join(path, run), { image: e.name, run, format: "auto" }));
}

/** The files the captures stage reads. */
export const captureFiles = (e: ResolvedEntry): string[] =>
  entryCaptures(e).flatMap((c) => c.files.map((f) => f.path));

export function capturesStage(e: ResolvedEntry, study: { base: string }, memo: HashMemo) {
  return async (ctx: StageContext): Promise<void> => {
    const entries: CaptureEntry[] = entryCaptures(e).map((c) => {
      // sources are absolute here; the dataset keeps them relative to the study file
      return {
        source: relative(study.base, c.source).split(sep).join("/"),
        path: c.source,
        image: c.image,
        run: c.run,
        format: c.format,
        labels: c.labels,
        files: Object.fromEntries(c.files.map((f) => [f.name, memo.hash(f.path)])),
      };
    });
    writeCaptures(ctx.dir, entries);
    ctx.log(`${e.name}: ${entries.length} bundled run(s)`);
  };
}
