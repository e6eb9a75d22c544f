/**
 * `sandmine ingest`: in batches of captures (batches.ts: memory bounded by a batch, not the job),
 * scan every piece of the batch for task markers (in parallel), resolve each run's task timelines
 * (phases, comm, thread groups), then parse the pieces into Parquet parts (in parallel), stage each
 * run (canonical events files, rejects, commit record) and commit the runs one by one; after the
 * last batch, rebuild the `runs`, `rejects` and `manifest.json` views from the commit log.
 * Each step is a module of its own: scan-pass, resolve, parse-pass, reject-share and split,
 * stage-runs, publish, summary, and pipeline/dataset/ (the commit protocol: docs/dataset.md).
 */
import { existsSync, rmdirSync } from "node:fs";
import { killPoint } from "../dataset/crash.ts";
import { discardAside, openStaging, recoverDead } from "../dataset/staging.ts";
import { readLog, runFolders, hasRecordFile } from "../dataset/log.ts";
import { refreshViews } from "../dataset/views.ts";
import { ConflictError, pruneEmptyImages } from "../dataset/commit.ts";
import { UsageError } from "../errors.ts";
import { collectGarbage } from "../memory.ts";
import { JobProgress } from "../progress.ts";
import { batchLimits, captureBatches, captureBytes } from "./batches.ts";
import { captureKey, hashFile, type KeyParams } from "./content-key.ts";
import { planWork, type FileWork } from "./file-work.ts";
import type { CaptureInput } from "./inputs.ts";
import { parsePass, type Parsed } from "./parse-pass.ts";
import { PIECE_BYTES } from "./plan.ts";
import { commitCaptures, selectCaptures, type Unchanged } from "./publish.ts";
import { checkRejectShare, DEFAULT_MAX_REJECT_SHARE } from "./reject-share.ts";
import { resolveRuns } from "./resolve.ts";
import { scanPass } from "./scan-pass.ts";
import { runOwners, splitImages } from "./split.ts";
import { stageCaptures } from "./stage-runs.ts";
import { addTotals, captureStats, NO_TOTALS, summarise, type IngestSummary, type Totals } from "./summary.ts";
import type { CaptureStats } from "./tables.ts";
import { lazyPool, STOP_POOL_BYTES, type LazyPool } from "./lazy-pool.ts";
import type { IngestPool } from "./tasks.ts";

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
  /** size of the pieces plain files are cut into (default PIECE_BYTES); the dataset does not depend on it. */
  pieceBytes?: number;
  /** custom `-p` format of sysdig text captures (e.g. LID-DS's). */
  sysdigFormat?: string;
  /** largest share of rejected lines a run may have (default DEFAULT_MAX_REJECT_SHARE). */
  maxRejectShare?: number;
  /** capture bytes read in one batch at most (batches.ts; default DEFAULT_BATCH); the dataset does not depend on it. */
  batchBytes?: number;
  /** the workers, when the caller started them already (the command starts them first); stopped at the end. */
  pool?: LazyPool;
}

/**
 * The passes' shares of an ingest's time, for the ETA (SANDMINE_TIMING, from sources: the bundled
 * captures scanned in 10.4 s and parsed in 13.4 s, an 18-capture synthetic fleet 7.1 s and 7.1 s;
 * the staging and commit after them, about a tenth of the whole, are not in the estimate).
 */
const STEP_WEIGHTS = { scan: 1, parse: 1.2 };

/** Refuses a dataset with run folders that have no commit record (an older sandmine wrote them). */
function checkCommitted(out: string): void {
  const bare = runFolders(out).filter((f) => !hasRecordFile(f.dir));
  if (bare.length === 0) return;
  throw new UsageError(
    `${out}: ${bare.length} run folder(s) without a commit record (${bare[0]!.dir}${bare.length > 1 ? ", …" : ""}), ` +
      `written by an older sandmine or not by sandmine; sandmine fsck ${out} lists them, --repair adopts or removes them`,
  );
}

/** Runs the ingest; throws UsageError for bad input (ConflictError when another ingest committed a run first). */
export async function ingest(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const { out } = opts;
  const existed = existsSync(out);
  const staging = openStaging(out);
  let ok = false;
  try {
    killPoint("staged");
    recoverDead(out, staging.dir);
    checkCommitted(out);
    const params: KeyParams = { arch: opts.arch, sysdigFormat: opts.sysdigFormat };
    const { todo, unchanged } = await selectCaptures(opts.captures, out, opts.replace, params);
    // one display for the job: the scan and parse passes feed it; captures committed before are done
    const job = new JobProgress("ingest", "captures", opts.captures.length, STEP_WEIGHTS, opts.quiet);
    job.skip(opts.captures.length - todo.length);
    // a run split off a capture must not be another capture's of the whole job, in any batch
    const owners = runOwners(todo);
    const done = nothingToDo();
    const batches = [...captureBatches(todo, batchLimits(opts.batchBytes))];
    const pool = opts.pool ?? lazyPool(opts.workers);
    try {
      await job.run(async () => {
        for (const [i, batch] of batches.entries()) {
          job.batch(batch.length);
          // a full collection between batches (~20 ms at 70 MiB): the batch before is garbage, and
          // V8 otherwise let it pile up (main heap 65 → 119 MiB over 10 batches, measured)
          if (i > 0) collectGarbage();
          const last = i === batches.length - 1;
          const r = await ingestCaptures(opts, batch, staging.dir, params, t0, owners, pool, i, last);
          done.stats.push(...r.stats);
          done.totals = addTotals(done.totals, r.work, r.segmentStats);
          done.conflicts.push(...r.conflicts);
          done.lateUnchanged.push(...r.lateUnchanged);
        }
      });
    } finally {
      await pool.stop();
    }
    const { stats, totals, conflicts, lateUnchanged } = done;
    job.finish();
    discardAside(staging.dir);
    pruneEmptyImages(out);
    await refreshViews(out, staging.dir);
    stepTimer(t0)("views");
    killPoint("cleanup");
    ok = true;
    if (conflicts.length > 0) {
      const others = stats.length > 0 ? `; the other ${stats.length} capture(s) were committed` : "";
      throw new ConflictError(conflicts.join("; ") + others);
    }
    return summarise(totals, stats, t0, [...unchanged, ...lateUnchanged]);
  } finally {
    staging.close();
    if (!ok && !existed) rmEmptyDir(out); // refused input: no dataset folder left behind
    if (ok) killPoint("done");
  }
}

/** What the batches committed: the captures' stats (their rejects dropped) and the files' totals. */
interface Ingested {
  stats: CaptureStats[];
  totals: Totals;
  conflicts: string[];
  lateUnchanged: Unchanged[];
}

const nothingToDo = (): Ingested => ({ stats: [], totals: NO_TOTALS, conflicts: [], lateUnchanged: [] });

/** What one batch committed. */
interface Batch {
  stats: CaptureStats[];
  work: FileWork[];
  segmentStats: Parsed["segmentStats"];
  conflicts: string[];
  lateUnchanged: Unchanged[];
}

/**
 * Reads, stages and commits one batch of captures (`owners`: the job's runs, see splitImages;
 * `last`: the job's last batch).
 */
async function ingestCaptures(
  opts: IngestOptions,
  captures: CaptureInput[],
  staging: string,
  params: KeyParams,
  t0: number,
  owners: Map<string, string>,
  pools: LazyPool,
  index: number,
  last: boolean,
): Promise<Batch> {
  const workers = pools.get();
  // each task names its batch: a worker collects its garbage once when the next batch starts
  const pool: IngestPool = {
    run: (t) => workers.run({ ...t, batch: index }),
    destroy: () => workers.destroy(),
  };
  const bytes = captures.reduce((n, c) => n + captureBytes(c), 0);
  const timing = stepTimer(t0);
  const passOptions = {
    pieceBytes: opts.pieceBytes ?? PIECE_BYTES,
    sysdigFormat: opts.sysdigFormat,
    quiet: opts.quiet,
  };
  const work = planWork(captures, opts.pieceBytes);
  // a file cut into pieces is hashed whole besides (its pieces' hashes depend on the cut), one
  // file at a time beside the passes: all at once held a read buffer per file (RSS grew with
  // the number of files)
  const hashing = new Map<FileWork, Promise<string>>();
  let previous: Promise<unknown> = Promise.resolve();
  for (const w of work.filter((x) => x.pieces.length > 1)) {
    const path = captures[w.capture]!.files[w.fileIndex]!.path;
    const h = previous.then(() => hashFile(path));
    hashing.set(w, h);
    previous = h.catch(() => undefined);
  }
  timing("planned");
  await scanPass(pool, work, captures, passOptions);
  const resolved = resolveRuns(work, captures.length, opts.arch);
  killPoint("scanned");
  timing("scanned");
  const parsed = await parsePass(pool, work, captures, resolved, { ...passOptions, staging });
  // the workers' heaps and buffers go before staging's DuckDB session starts: with
  // them the process peaked during staging (373 MB at 2 workers, perf capture, measured); between
  // small batches they stay (the next batch would start them again)
  if (pools.grown() || last || bytes > STOP_POOL_BYTES) await pools.stop();
  killPoint("parsed");
  const maxShare = opts.maxRejectShare ?? DEFAULT_MAX_REJECT_SHARE;
  checkRejectShare(captures, work, parsed.segmentStats, maxShare);
  // runs split off by container image: all checked before anything is published
  const images = splitImages(captures, work, parsed.segmentStats, owners);
  const wholeHashes = new Map<FileWork, string>();
  for (const [w, h] of hashing) wholeHashes.set(w, await h);
  const stats = captureStats(captures, work, parsed, images, resolved.phaseRules, wholeHashes);
  timing("parsed");
  const keys = stats.map((c) =>
    captureKey(
      c.capture,
      c.files.map((f) => f.fileSha256),
      params,
    ),
  );
  // the log is read only for --replace (the split-off runs an earlier ingest made): it holds
  // every committed run, so reading it per batch grew with the job (time and heap)
  const log = opts.replace ? readLog(opts.out) : null;
  const staged = await stageCaptures(staging, stats, keys, log, parsed.parts);
  timing("staged");
  const result = commitCaptures(opts.out, staging, staged, opts.replace);
  timing("committed");
  // the totals count what was committed (not captures another ingest committed meanwhile)
  const committedWork = work.filter((w) => result.committed.some((c) => c.capture === captures[w.capture]));
  // the summary keeps each capture's counts, not its rejects (written to the dataset)
  for (const c of stats) c.rejectsIpc = [];
  return {
    stats: result.committed,
    work: committedWork,
    segmentStats: new Map(committedWork.map((w) => [w, parsed.segmentStats.get(w)!])),
    conflicts: result.conflicts,
    lateUnchanged: result.unchanged,
  };
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
    // not empty, or already gone
  }
}
