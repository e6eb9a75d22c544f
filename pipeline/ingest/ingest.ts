/**
 * `sandmine ingest`: scan every piece of every capture for task markers (in parallel), resolve
 * each run's task timelines (phases, comm, thread groups), then parse the pieces into Parquet parts
 * (in parallel), and finally write the `runs`, `rejects` and `manifest.json` tables. Each step is
 * a module of its own: scan-pass, resolve, parse-pass, reject-share and split, publish, summary
 * and tables.
 */
import { rmSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { createPool } from "../pool.ts";
import { planWork } from "./file-work.ts";
import type { CaptureInput } from "./inputs.ts";
import { parsePass } from "./parse-pass.ts";
import { PIECE_BYTES } from "./plan.ts";
import { checkNewRuns, publishRuns } from "./publish.ts";
import { checkRejectShare, DEFAULT_MAX_REJECT_SHARE } from "./reject-share.ts";
import { resolveRuns } from "./resolve.ts";
import { scanPass } from "./scan-pass.ts";
import { splitImages } from "./split.ts";
import { captureStats, summarise, type IngestSummary } from "./summary.ts";
import { writeTables } from "./tables.ts";
import type { ReplyMap, WorkerTask } from "./tasks.ts";

export type { IngestSummary } from "./summary.ts";

export interface IngestOptions {
  captures: CaptureInput[];
  out: string;
  workers: number;
  /** architecture of the traced programs unless a capture says otherwise. */
  arch: string;
  /** replace runs that already exist in the dataset. */
  replace: boolean;
  quiet: boolean;
  /** size of the pieces plain files are cut into (default PIECE_BYTES). */
  pieceBytes?: number;
  /** custom `-p` format of sysdig text captures (e.g. LID-DS's). */
  sysdigFormat?: string;
  /** largest share of rejected lines a run may have (default DEFAULT_MAX_REJECT_SHARE). */
  maxRejectShare?: number;
}

/** Runs the ingest; throws UsageError for bad input. */
export async function ingest(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const { captures, out } = opts;
  checkNewRuns(captures, out, opts.replace);
  // from sources (tests, tsx) the worker is worker.ts; in the bundle (out/build) it is worker.mjs
  const workerFile = import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.mjs";
  const pool = createPool<WorkerTask, ReplyMap>(new URL(workerFile, import.meta.url), opts.workers);
  const staging = join(out, ".staging", String(process.pid));
  try {
    const timing = stepTimer(t0);
    const passOptions = {
      pieceBytes: opts.pieceBytes ?? PIECE_BYTES,
      sysdigFormat: opts.sysdigFormat,
      quiet: opts.quiet,
    };
    const work = planWork(captures, opts.pieceBytes);
    timing("planned");
    await scanPass(pool, work, captures, passOptions);
    const resolved = resolveRuns(work, captures.length, opts.arch);
    timing("scanned");
    const parsed = await parsePass(pool, work, captures, resolved, { ...passOptions, staging });
    const maxShare = opts.maxRejectShare ?? DEFAULT_MAX_REJECT_SHARE;
    checkRejectShare(captures, work, parsed.segmentStats, maxShare);
    // runs split off by container image: all checked before anything is published
    const images = splitImages(captures, work, parsed.segmentStats);
    const stale = publishRuns(out, staging, captures, images, opts.replace);
    const stats = captureStats(captures, work, parsed, images, resolved.phaseRules);
    timing("parsed");
    await writeTables(out, stats, stale);
    timing("tables written");
    return summarise(work, stats, parsed.segmentStats, t0);
  } finally {
    await pool.destroy();
    rmSync(staging, { recursive: true, force: true });
    rmEmptyDir(join(out, ".staging"));
  }
}

/** With SANDMINE_TIMING set, a function that prints each step's time since `t0` and the memory. */
function stepTimer(t0: number): (step: string) => void {
  if (!process.env.SANDMINE_TIMING) return () => {};
  return (step) => {
    const m = process.memoryUsage();
    const mb = (x: number) => (x / 1048576).toFixed(0);
    process.stderr.write(
      `[timing] ${step} ${((performance.now() - t0) / 1000).toFixed(2)} s, main heap ${mb(m.heapTotal)} ` +
        `external ${mb(m.external)}, process rss ${mb(m.rss)} MB\n`,
    );
  };
}

function rmEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another ingest is running) or already gone
  }
}
