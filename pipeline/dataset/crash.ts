/**
 * Kill points for the crash tests: with SANDMINE_CRASH_AT=NAME (or NAME#N, the N-th time the
 * point is reached), the process sends itself SIGKILL there, as a power cut or the OOM killer
 * would stop it: no `finally`, no exit handler, nothing flushed. Without the variable this is a
 * no-op. Every point is listed in KILL_POINTS, in the order an ingest reaches them.
 */

/** Where an ingest (and a rebuild of the tables) can be killed, in order. */
export const KILL_POINTS = [
  /** the staging folder exists, nothing read yet */
  "staged",
  /** the first scan reply arrived */
  "scan",
  /** every piece scanned, timelines resolved */
  "scanned",
  /** the first Parquet part was written in the staging folder */
  "parse",
  /** every part written */
  "parsed",
  /** a run's parts were merged into its canonical files (once per run) */
  "merged",
  /** a run's commit record was written, not yet flushed (once per run) */
  "recorded",
  /** a run's staged folder was flushed, just before its commit rename (once per run) */
  "commit",
  /** just after a run's commit rename, before the folder holding it is flushed (once per run) */
  "committed",
  /** --replace: the old version was moved aside, the new one not yet renamed in */
  "replace-moved",
  /** a stale split-off run was moved aside (--replace) */
  "stale-moved",
  /** every run committed, tables not yet rebuilt */
  "all-committed",
  /** the tables were read from the commit records */
  "views-snapshot",
  /** new runs.parquet written in the staging folder */
  "views-built",
  /** runs.parquet renamed into place */
  "views-runs",
  /** rejects.parquet renamed into place */
  "views-rejects",
  /** manifest.json renamed into place */
  "views-manifest",
  /** the records were listed again after the renames */
  "views-checked",
  /** the staging folder is about to be removed */
  "cleanup",
  /** the staging folder was removed; the process is about to return */
  "done",
] as const;

export type KillPoint = (typeof KILL_POINTS)[number];

const reached = new Map<string, number>();

/** Kills the process with SIGKILL when SANDMINE_CRASH_AT names this point (and its count). */
export function killPoint(name: KillPoint): void {
  const want = process.env.SANDMINE_CRASH_AT;
  if (!want) return;
  const n = (reached.get(name) ?? 0) + 1;
  reached.set(name, n);
  const [point, count] = want.split("#");
  if (point === name && n === Number(count ?? 1)) process.kill(process.pid, "SIGKILL");
}
