/**
 * `sandmine fsck DATASET [--repair]`: checks a dataset against its commit protocol
 * (docs/dataset.md) and, with `repair`, puts right what a crash or a stray hand can leave:
 *
 * - staging folders whose owner is dead (or, on another machine, whose lease ran out): recovered —
 *   the runs they had moved aside for a --replace that did not commit are put back — and removed;
 * - run folders without a commit record (not committed, so not part of the dataset): removed;
 * - files in a committed run folder that its record does not list (temporary files of a killed
 *   writer, stray files that readers' globs would pick up): removed;
 * - `image=` folders without runs: removed;
 * - tables (runs.parquet, rejects.parquet, manifest.json) that differ from those the commit log
 *   gives: rebuilt from it;
 * - run folders whose files differ from their record (missing, another size, with `verify` another
 *   sha256): reported, never repaired — the capture must be ingested again with --replace.
 *
 * Without `repair` nothing is written (the tables are rebuilt in a temporary folder to compare).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { UsageError } from "../errors.ts";
import { partitionName, partitionValue } from "../ingest/partitions.ts";
import { adoptRun, legacyRunOf, legacyRuns, type LegacyRun } from "./adopt.ts";
import { isDir } from "./durable.ts";
import { readLog, runFolders, type LogSnapshot } from "./log.ts";
import { COMMIT_FILE, SIGNATURES_FILE, readRecord, type CommitRecord } from "./record.ts";
import { openStaging, recoverStaging, replacedRuns, STAGING, stagingFolders } from "./staging.ts";
import { buildViews, refreshViews, staleViews } from "./views.ts";

export type FindingKind =
  | "abandoned-staging"
  | "staging-in-progress"
  | "uncommitted-run"
  | "damaged-record"
  | "damaged-run"
  | "unlisted-file"
  | "empty-image"
  | "stale-table"
  | "leftover-file";

export interface Finding {
  kind: FindingKind;
  /** relative to the dataset */
  path: string;
  detail: string;
  /** false for what is not wrong (an ingest in progress) */
  problem: boolean;
  /** what --repair does about it, or null when it cannot */
  repair: string | null;
}

export interface FsckReport {
  dataset: string;
  /** committed runs */
  runs: number;
  findings: Finding[];
  /** with --repair: what was done, in order */
  repaired: string[];
  /** no problem left */
  clean: boolean;
}

export interface FsckOptions {
  repair: boolean;
  /** also compare every file's sha256 with its record (reads the whole dataset) */
  verify: boolean;
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** What is wrong with committed run folder `dir` (record `r`). */
function checkRun(dataset: string, dir: string, r: CommitRecord, verify: boolean): Finding[] {
  const out: Finding[] = [];
  const rel = relative(dataset, dir);
  const folder = `image=${partitionValue(r.image)}/run=${partitionValue(r.run)}`;
  if (!dir.endsWith(folder)) {
    out.push({
      kind: "damaged-record",
      path: rel,
      detail: `its record names run ${r.image}/${r.run}, which belongs in events/${folder}`,
      problem: true,
      repair: null,
    });
  }
  const listed = new Map(
    [...r.events, ...(r.rejects ? [r.rejects] : []), ...(r.signatures ? [r.signatures] : [])].map((f) => [
      f.file,
      f,
    ]),
  );
  for (const name of list(dir)) {
    if (name === COMMIT_FILE) continue;
    const f = listed.get(name);
    if (f === undefined) {
      out.push({
        kind: "unlisted-file",
        path: join(rel, name),
        detail: name.endsWith(".tmp")
          ? "a temporary file of a writer that was killed"
          : "not in the run's commit record (readers' globs would read it)",
        problem: true,
        repair: "remove it",
      });
      continue;
    }
    listed.delete(name);
    const p = join(dir, name);
    const size = statSync(p).size;
    const bad =
      size !== f.bytes
        ? `${size} bytes, its record says ${f.bytes}`
        : verify && sha256(p) !== f.sha256
          ? "its sha256 differs from its record's"
          : null;
    if (bad !== null) {
      out.push({
        kind: "damaged-run",
        path: join(rel, name),
        detail: `${bad}; ingest the capture again with --replace`,
        problem: true,
        repair: null,
      });
    }
  }
  for (const name of listed.keys()) {
    out.push({
      kind: "damaged-run",
      path: join(rel, name),
      detail: "listed in the run's commit record but missing; ingest the capture again with --replace",
      problem: true,
      repair: null,
    });
  }
  return out;
}

/** Leftovers of older sandmine versions in the dataset's root: `*.PID.tmp`, `.rejects-new.PID.parquet`. */
function rootLeftovers(dataset: string): Finding[] {
  return list(dataset)
    .filter((n) => /\.tmp$/.test(n) || /^\.rejects-new\.\d+\.parquet$/.test(n))
    .map((n) => ({
      kind: "leftover-file" as const,
      path: n,
      detail: "a temporary file of a writer that was killed",
      problem: true,
      repair: "remove it",
    }));
}

async function tableFindings(dataset: string, snap: LogSnapshot, writing: boolean): Promise<Finding[]> {
  const tmp = mkdtempSync(join(tmpdir(), "sandmine-fsck-"));
  try {
    await buildViews(snap, tmp);
    return staleViews(dataset, tmp).map((f) => ({
      kind: "stale-table" as const,
      path: f,
      detail: writing
        ? "differs from the commit log; an ingest in progress rebuilds it when it is done"
        : `differs from what the commit log gives (${snap.runs.length} committed run(s))`,
      problem: !writing,
      repair: "rebuild the tables from the commit log",
    }));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The findings of `dataset` now. */
interface Examined {
  findings: Finding[];
  snap: LogSnapshot;
  /** uncommitted run folders an older sandmine's tables list, by path: adopted by --repair */
  adopt: Map<string, LegacyRun>;
}

/** The name a `key=value` folder stands for. */
const decode = (part: string): string => partitionName(part.slice(part.indexOf("=") + 1));

async function examine(dataset: string, verify: boolean): Promise<Examined> {
  const findings: Finding[] = [];
  const adopt = new Map<string, LegacyRun>();
  let legacy: Map<string, LegacyRun> | undefined;
  let writing = false;
  for (const s of stagingFolders(dataset)) {
    const path = join(STAGING, s.name);
    if (!isDir(s.dir)) {
      findings.push({
        kind: "leftover-file",
        path,
        detail: "not a staging folder",
        problem: true,
        repair: "remove it",
      });
      continue;
    }
    if (s.owner.state === "dead") {
      const moved = replacedRuns(s.dir);
      findings.push({
        kind: "abandoned-staging",
        path,
        detail:
          `staging folder of a writer that is gone (${s.owner.why})` +
          (moved.length > 0
            ? `; holds ${moved.map((r) => `${r.image}/${r.run}`).join(", ")} moved aside`
            : ""),
        problem: true,
        repair:
          moved.length > 0 ? "put back what it moved aside where still missing, then remove it" : "remove it",
      });
    } else {
      writing = true;
      findings.push({
        kind: "staging-in-progress",
        path,
        detail: s.owner.state === "alive" ? `an ingest in progress (pid ${s.owner.pid})` : s.owner.why,
        problem: false,
        repair: null,
      });
    }
  }
  const images = new Set(list(join(dataset, "events")).filter((n) => n.startsWith("image=")));
  for (const f of runFolders(dataset)) {
    images.delete(f.imagePart);
    const rel = relative(dataset, f.dir);
    const r = readRecord(f.dir);
    if (r !== null) {
      findings.push(...checkRun(dataset, f.dir, r.record, verify));
      continue;
    }
    const names = list(f.dir);
    const has = names.includes(COMMIT_FILE);
    legacy ??= has ? new Map() : await legacyRuns(dataset);
    const old = has ? undefined : legacyRunOf(legacy, decode(f.imagePart), decode(f.runPart));
    // (a signature file is rewritten by the adoption, from the events)
    if (old !== undefined && names.every((n) => n.endsWith(".parquet") || n === SIGNATURES_FILE)) {
      adopt.set(rel, old);
      findings.push({
        kind: "uncommitted-run",
        path: rel,
        detail: "run folder without a commit record, listed in runs.parquet: a run of an older sandmine",
        problem: true,
        repair: "adopt it: write its commit record from the tables",
      });
      continue;
    }
    findings.push(
      has
        ? {
            kind: "damaged-record",
            path: join(rel, COMMIT_FILE),
            detail: "unreadable commit record; ingest the capture again with --replace",
            problem: true,
            repair: null,
          }
        : {
            kind: "uncommitted-run",
            path: rel,
            detail:
              "run folder without a commit record, not in the tables: not committed (left by an older sandmine killed before it wrote its tables, or not written by sandmine)",
            problem: true,
            repair: "remove it",
          },
    );
  }
  for (const i of images) {
    if (!isDir(join(dataset, "events", i))) continue;
    findings.push({
      kind: "empty-image",
      path: join("events", i),
      detail: "image folder without runs",
      problem: true,
      repair: "remove it",
    });
  }
  findings.push(...rootLeftovers(dataset));
  const snap = readLog(dataset);
  // tables that still describe adoptable runs are rebuilt only once those are adopted
  if (adopt.size === 0) findings.push(...(await tableFindings(dataset, snap, writing)));
  return { findings, snap, adopt };
}

/** Applies the repairs of `findings`; returns what was done. */
async function repairAll(
  dataset: string,
  findings: readonly Finding[],
  adopt: ReadonlyMap<string, LegacyRun>,
): Promise<string[]> {
  const done: string[] = [];
  const staging = openStaging(dataset);
  try {
    for (const f of findings) {
      if (!f.problem || f.repair === null || f.kind === "stale-table") continue;
      const p = join(dataset, f.path);
      if (f.kind === "abandoned-staging") {
        if (recoverStaging(dataset, f.path.slice(STAGING.length + 1), staging.dir))
          done.push(`recovered ${f.path}`);
      } else if (adopt.has(f.path)) {
        await adoptRun(dataset, p, adopt.get(f.path)!);
        done.push(`adopted ${f.path}`);
      } else if (f.kind === "empty-image") {
        try {
          rmdirSync(p);
          done.push(`removed ${f.path}`);
        } catch {
          // a writer is committing into it right now
        }
      } else {
        rmSync(p, { recursive: true, force: true });
        done.push(`removed ${f.path}`);
        if (f.kind === "uncommitted-run") {
          try {
            rmdirSync(dirname(p)); // its image folder, when that was its last run
          } catch {
            // other runs are left
          }
        }
      }
    }
    // the tables last, from the log as the repairs left it
    const before = findings.filter((f) => f.kind === "stale-table").map((f) => f.path);
    await refreshViews(dataset, staging.dir);
    if (before.length > 0) done.push(`rebuilt ${before.join(", ")} from the commit log`);
  } finally {
    staging.close();
  }
  return done;
}

/** Checks `dataset` (and with `repair` puts it right); see the module comment. */
export async function fsck(dataset: string, opts: FsckOptions): Promise<FsckReport> {
  if (!isDir(dataset)) throw new UsageError(`${dataset}: no such folder`);
  const looks = ["events", "manifest.json", "runs.parquet", STAGING].some((n) => list(dataset).includes(n));
  if (!looks)
    throw new UsageError(`${dataset}: not a sandmine dataset (no events/, manifest.json or .staging/)`);
  let { findings, snap, adopt } = await examine(dataset, opts.verify);
  const repaired: string[] = [];
  if (opts.repair && findings.some((f) => f.problem && f.repair !== null)) {
    repaired.push(...(await repairAll(dataset, findings, adopt)));
    ({ findings, snap, adopt } = await examine(dataset, opts.verify));
  }
  return {
    dataset,
    runs: snap.runs.length,
    findings,
    repaired,
    clean: !findings.some((f) => f.problem),
  };
}
