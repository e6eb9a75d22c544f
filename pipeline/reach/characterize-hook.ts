/**
 * `characterize --rootfs DIR`: runs `reach` for the image and keeps its comparison beside
 * characterize's outputs (DATASET/characterize/image=NAME/reach.json), where the report and the
 * notebooks find it. A separate module so the analysis code of characterize stays as it is.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { reachSummary, REACH_SUMMARY_VERSION, type ReachSummary } from "../../stages/reach/summary.ts";
import { resultDir } from "../analyze/write.ts";
import { defaultCacheDir, reach } from "./reach.ts";

export const REACH_FILE = "reach.json";

export const reachSummaryFile = (dataset: string, image: string): string =>
  join(resultDir(dataset, "characterize", image), REACH_FILE);

/** Runs reach on `rootfs` for `image` and writes the summary beside characterize's outputs. */
export async function characterizeReach(o: {
  dataset: string;
  image: string;
  rootfs: string;
  excludeRuns?: readonly string[];
  jobs?: number;
}): Promise<ReachSummary> {
  const r = await reach({
    rootfs: o.rootfs,
    dataset: o.dataset,
    image: o.image,
    cacheDir: defaultCacheDir(o.dataset),
    ...(o.excludeRuns ? { excludeRuns: o.excludeRuns } : {}),
    ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
  });
  const s = reachSummary(r, o.excludeRuns);
  const file = reachSummaryFile(o.dataset, o.image);
  mkdirSync(resultDir(o.dataset, "characterize", o.image), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(s, null, 1) + "\n");
  renameSync(tmp, file);
  return s;
}

/** The summary `characterize --rootfs` left for `image`, if any (one of an older shape is ignored). */
export function readReachSummary(dataset: string, image: string): ReachSummary | undefined {
  const file = reachSummaryFile(dataset, image);
  if (!existsSync(file)) return undefined;
  const s = JSON.parse(readFileSync(file, "utf8")) as ReachSummary;
  return s.version === REACH_SUMMARY_VERSION ? s : undefined;
}
