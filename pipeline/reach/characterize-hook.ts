/**
 * `characterize --rootfs DIR`: runs `reach` for the image and keeps its comparison beside
 * characterize's outputs (DATASET/characterize/image=NAME/reach.json), where the report and the
 * notebooks find it. A separate module so the analysis code of characterize stays as it is.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { reachSummary, REACH_SUMMARY_VERSION, type ReachSummary } from "../../stages/reach/summary.ts";
import { resultDir } from "../analyze/write.ts";
import { reachSource, staleReason } from "./provenance.ts";
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
  const s: ReachSummary = {
    ...reachSummary(r, o.excludeRuns),
    source: await reachSource(
      o.dataset,
      o.image,
      o.rootfs,
      r.files.map((f) => f.path),
    ),
  };
  const file = reachSummaryFile(o.dataset, o.image);
  mkdirSync(resultDir(o.dataset, "characterize", o.image), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(s, null, 1) + "\n");
  renameSync(tmp, file);
  return s;
}

/**
 * The summary `characterize --rootfs` left for `image`, if any. One that no longer describes the
 * dataset or the rootfs (a re-ingest, a rebuilt tree; or an older sandmine's, which records no
 * source) comes back with `stale`: the reason and the command that recomputes it, for the report
 * to show instead of the old figures.
 */
export function readReachSummary(dataset: string, image: string): ReachSummary | undefined {
  const file = reachSummaryFile(dataset, image);
  if (!existsSync(file)) return undefined;
  const s = JSON.parse(readFileSync(file, "utf8")) as ReachSummary;
  const why = s.version === REACH_SUMMARY_VERSION ? staleReason(dataset, s.source) : "an older format";
  if (why === null) return s;
  const rootfs = s.source?.rootfs.path ?? s.rootfs ?? "DIR";
  return {
    ...s,
    stale: `${file} is stale: ${why}; recompute it with sandmine characterize ${dataset} --image ${image} --rootfs ${rootfs}${s.excludedRuns?.length ? ` --exclude-runs ${s.excludedRuns.join(",")}` : ""}`,
  };
}
