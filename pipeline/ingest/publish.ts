/**
 * Which captures an ingest must read, and committing what it read (pipeline/dataset/commit.ts).
 *
 * Before any work: a run given twice is a usage error; a capture whose run the dataset holds with
 * the same content key is skipped (unchanged); one it holds with other content is a usage error
 * unless `--replace`. Another ingest may commit the same run while this one works: the commit
 * finds out, and the capture is then unchanged (same key), replaced, or a ConflictError.
 *
 * Each capture is committed run by run, the runs split off it by container image first and its own
 * run (the one that carries its manifest entry) last, so that a capture whose own run is committed
 * is complete.
 */
import { existsSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { commitRun, conflictMessage, ConflictError, retireRun } from "../dataset/commit.ts";
import { killPoint } from "../dataset/crash.ts";
import { readRecord } from "../dataset/record.ts";
import { captureKeyOf, type KeyParams } from "./content-key.ts";
import type { CaptureInput } from "./inputs.ts";
import { partitionDir } from "./partitions.ts";
import type { StagedCapture } from "./stage-runs.ts";

import type { CaptureStats } from "./tables.ts";

/** A capture an ingest did not read or commit, and why. */
export interface Unchanged {
  image: string;
  run: string;
  source: string;
}

/** Throws UsageError when a run is given twice. */
export function checkGivenTwice(captures: readonly CaptureInput[]): void {
  const seen = new Set<string>();
  for (const c of captures) {
    const key = `${c.image}\u0000${c.run}`;
    if (seen.has(key)) throw new UsageError(`run "${c.run}" of image "${c.image}" is given twice`);
    seen.add(key);
  }
}

/**
 * The captures to read: those whose run `out` does not hold with the same content key (hashing
 * the files of those it holds). Throws UsageError for a run held with other content, unless
 * `replace`.
 */
export async function selectCaptures(
  captures: readonly CaptureInput[],
  out: string,
  replace: boolean,
  params: KeyParams,
): Promise<{ todo: CaptureInput[]; unchanged: Unchanged[] }> {
  checkGivenTwice(captures);
  const todo: CaptureInput[] = [];
  const unchanged: Unchanged[] = [];
  for (const c of captures) {
    const final = partitionDir(out, c);
    if (!existsSync(final)) {
      todo.push(c);
      continue;
    }
    const there = readRecord(final);
    if (there && there.record.key === (await captureKeyOf(c, params))) {
      unchanged.push({ image: c.image, run: c.run, source: c.source });
      continue;
    }
    if (!replace) throw new UsageError(conflictMessage(out, c, there?.record ?? null));
    todo.push(c);
  }
  return { todo, unchanged };
}

export interface CommitResult {
  committed: CaptureStats[];
  /** captures another ingest committed with the same content while this one worked */
  unchanged: Unchanged[];
  /** messages of the captures that conflicted with another ingest's commit */
  conflicts: string[];
}

/** Commits every staged capture into `out`; conflicts are collected, the other captures commit. */
export function commitCaptures(
  out: string,
  staging: string,
  staged: readonly StagedCapture[],
  replace: boolean,
): CommitResult {
  const result: CommitResult = { committed: [], unchanged: [], conflicts: [] };
  for (const sc of staged) {
    const opts = { replace, staging };
    try {
      for (const s of sc.splits) commitRun(out, s.dir, s.record, opts);
      const own = sc.own.record;
      for (const r of sc.stale) retireRun(out, r, { image: own.image, run: own.run, key: own.key }, staging);
      if (commitRun(out, sc.own.dir, own, opts) === "committed") result.committed.push(sc.stats);
      else result.unchanged.push({ image: own.image, run: own.run, source: sc.stats.capture.source });
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      result.conflicts.push(e.message);
    }
  }
  killPoint("all-committed");
  return result;
}
