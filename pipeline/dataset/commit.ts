/**
 * Committing one run: its staged folder (events files, rejects, commit record, all flushed) is
 * renamed to `events/image=I/run=R`. That rename is the commit: before it, readers see nothing of
 * the run; after it, the run with its record. rename(2) of a folder onto a non-empty folder fails,
 * so of two writers committing the same run exactly one wins; the other finds the winner's record
 * and either drops its own (same content key: the same capture, nothing is lost), replaces it
 * (`--replace`: the old folder is moved aside into the writer's staging folder first) or fails
 * with a ConflictError naming the run.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.ts";
import { partitionDir } from "../ingest/partitions.ts";
import { killPoint } from "./crash.ts";
import { fsyncPath, fsyncTree } from "./durable.ts";
import { readRecord, type CommitRecord } from "./record.ts";
import { moveAside, type Supersede } from "./staging.ts";

/** Another writer committed a run with other content (exit status 2, like any refused input). */
export class ConflictError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export type CommitOutcome = "committed" | "unchanged";

/** The message for run `r` (being committed) that is there with other content (`other`'s). */
export function conflictMessage(
  dataset: string,
  r: { image: string; run: string; capture_image?: string; row?: { source: unknown } },
  other: CommitRecord | null,
): string {
  const by = other
    ? ` (from ${String(other.row.source)})`
    : " (a folder without a commit record: see sandmine fsck)";
  if (r.capture_image !== undefined && r.capture_image !== r.image) {
    return (
      `${dataset}: run "${r.run}" of image "${r.image}" (containers of ${String(r.row?.source)}) already exists${by} ` +
      `(use --run, --image or --replace)`
    );
  }
  return `${dataset}: run "${r.run}" of image "${r.image}" already exists${by} (use --run to name it differently, or --replace)`;
}

/**
 * Commits staged run folder `staged` (holding `record`'s files and the record itself) into
 * `dataset`. `staging` is the writer's staging folder (where a replaced version goes).
 */
export function commitRun(
  dataset: string,
  staged: string,
  record: CommitRecord,
  opts: { replace: boolean; staging: string },
): CommitOutcome {
  const final = partitionDir(dataset, record);
  fsyncTree(staged);
  killPoint("commit");
  for (let attempt = 0; attempt < 1000; attempt++) {
    mkdirSync(dirname(final), { recursive: true });
    fsyncPath(dirname(dirname(final)));
    try {
      renameSync(staged, final);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        // the rename did happen when its reply was lost (a retried NFS rename answers ENOENT)
        if (!existsSync(staged) && readRecord(final)?.record.key === record.key) return "committed";
        if (!existsSync(staged)) throw e;
        continue; // the image folder went (fsck removes empty ones): again
      }
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw e;
      const there = readRecord(final);
      if (there && there.record.key === record.key) {
        rmSync(staged, { recursive: true, force: true });
        return "unchanged";
      }
      if (!opts.replace) throw new ConflictError(conflictMessage(dataset, record, there?.record ?? null));
      const by = { image: record.image, run: record.run, key: record.key };
      if (moveAside(opts.staging, final, record, by) !== null) killPoint("replace-moved");
      continue;
    }
    killPoint("committed");
    fsyncPath(dirname(final));
    return "committed";
  }
  throw new Error(`internal: ${final}: could not commit after 1000 attempts`);
}

/**
 * Removes committed run `r` (a stale split-off run of a replaced capture): moved aside until
 * `by` (the capture's own run, committed last) commits, and put back by recovery if it does not.
 */
export function retireRun(
  dataset: string,
  r: { image: string; run: string },
  by: Supersede,
  staging: string,
): void {
  if (moveAside(staging, partitionDir(dataset, r), r, by) !== null) killPoint("stale-moved");
}

/**
 * Removes the `image=` folders of `dataset` that hold no run (left by retired or replaced runs, or
 * a commit killed after making its image folder). A writer committing into one at the same time
 * finds it gone and makes it again.
 */
export function pruneEmptyImages(dataset: string): void {
  const events = join(dataset, "events");
  let names: string[];
  try {
    names = readdirSync(events).filter((n) => n.startsWith("image="));
  } catch {
    return;
  }
  for (const n of names) {
    try {
      rmdirSync(join(events, n));
    } catch {
      // not empty (or not a folder)
    }
  }
}
