/**
 * Staging folders: each writer (an ingest, or fsck --repair rebuilding the tables) works in its
 * own `DATASET/.staging/NAME/`, which readers never look at. NAME says who owns it — host, boot,
 * pid namespace, pid and the process's start time — so that any later writer on the same machine
 * can tell for certain that the owner is dead (the pid is gone, or now belongs to a process that
 * started at another time). An owner on another machine (or in another pid namespace) cannot be
 * asked: its folder is taken as abandoned once it has not been touched for LEASE_MS (the owner
 * touches it every HEARTBEAT_MS).
 *
 * A staging folder may hold, besides work in progress, the old versions of runs an ingest with
 * `--replace` moved aside (`replaced/N/` and `replaced/N.json`, which names the run). Recovering an
 * abandoned folder puts each back where its run's folder is still missing (the replace did not
 * commit), and discards it otherwise; then the folder goes. Recovery first claims the folder by
 * renaming it into the recoverer's own staging folder, so two recoverers never work on one.
 */
import { randomBytes } from "node:crypto";
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  utimesSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fsyncPath, isDir, renameDurable, writeDurable } from "./durable.ts";
import { partitionDir } from "../ingest/partitions.ts";
import { readRecord } from "./record.ts";
import { pidAlive } from "../pid-alive.ts";

export const STAGING = ".staging";
/** How often an owner touches its staging folder. */
export const HEARTBEAT_MS = 30_000;
/** How long an untouched staging folder of a process that cannot be asked stays its owner's. */
export const LEASE_MS = 10 * 60_000;

interface Identity {
  host: string;
  boot: string;
  pidns: string;
  pid: number;
  start: string;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}

/** Start time of process `pid` in clock ticks since boot (/proc/PID/stat field 22), or null. */
function startTicks(pid: number | "self"): string | null {
  const stat = readOr(`/proc/${pid}/stat`, "");
  if (!stat) return null;
  // the command name (field 2) is in parentheses and may hold spaces or parentheses
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? null;
}

let self: Identity | undefined;

function identity(): Identity {
  if (self) return self;
  let pidns = "0";
  try {
    pidns = /\[(\d+)\]/.exec(readlinkSync("/proc/self/ns/pid"))?.[1] ?? "0";
  } catch {
    // no /proc: the namespace is unknown
  }
  self = {
    host:
      hostname()
        .replace(/[^A-Za-z0-9-]/g, "-")
        .slice(0, 40) || "host",
    boot:
      readOr("/proc/sys/kernel/random/boot_id", "noboot")
        .replace(/[^0-9a-f]/g, "")
        .slice(0, 12) || "noboot",
    pidns,
    pid: process.pid,
    start: startTicks("self") ?? "0",
  };
  return self;
}

const NAME = /^(.+)\.b([0-9a-z]+)\.n(\d+)\.p(\d+)\.s(\d+)\.[0-9a-f]+$/;

/** The owner a staging folder's name gives (legacy `.staging/PID` folders: the pid alone). */
function ownerOf(name: string): Identity | { pid: number } | null {
  const m = NAME.exec(name);
  if (m) return { host: m[1]!, boot: m[2]!, pidns: m[3]!, pid: Number(m[4]), start: m[5]! };
  if (/^\d+$/.test(name)) return { pid: Number(name) };
  return null;
}

/** What is known of a staging folder's owner. */
export type OwnerState =
  | { state: "alive"; pid: number }
  | { state: "dead"; why: string }
  | { state: "lease"; why: string; expiresInMs: number };

/** Whether the owner of staging folder `name` (in `root`) is alive, dead or out of reach. */
export function ownerState(root: string, name: string, now = Date.now()): OwnerState {
  const me = identity();
  const o = ownerOf(name);
  if (o !== null && !("host" in o)) {
    // a folder of an older sandmine (`.staging/PID`): the pid on this machine
    return pidAlive(o.pid)
      ? { state: "alive", pid: o.pid }
      : { state: "dead", why: `process ${o.pid} is gone` };
  }
  if (o !== null && o.host === me.host && o.boot === me.boot && o.pidns === me.pidns) {
    if (o.pid === me.pid && o.start === me.start) return { state: "alive", pid: o.pid };
    const start = startTicks(o.pid);
    if (start === null && existsProc()) return { state: "dead", why: `process ${o.pid} is gone` };
    if (start === null)
      return pidAlive(o.pid)
        ? { state: "alive", pid: o.pid }
        : { state: "dead", why: `process ${o.pid} is gone` };
    if (start !== o.start)
      return { state: "dead", why: `process ${o.pid} is gone (the pid now names another process)` };
    return { state: "alive", pid: o.pid };
  }
  let mtime = 0;
  try {
    mtime = statSync(join(root, name)).mtimeMs;
  } catch {
    return { state: "dead", why: "already removed" };
  }
  const who =
    o === null
      ? "an unknown writer"
      : `process ${o.pid} on ${o.host} (boot ${o.boot}, pid namespace ${o.pidns})`;
  const left = mtime + LEASE_MS - now;
  if (left <= 0) return { state: "dead", why: `${who}: untouched for ${Math.round((now - mtime) / 1000)} s` };
  return {
    state: "lease",
    why: `${who}: cannot be asked; its lease runs out in ${Math.ceil(left / 1000)} s`,
    expiresInMs: left,
  };
}

let procChecked: boolean | undefined;
function existsProc(): boolean {
  procChecked ??= isDir("/proc/self");
  return procChecked;
}

/** A writer's staging folder; `close()` stops the heartbeat and removes it. */
export interface Staging {
  dir: string;
  close(): void;
}

/** Creates this process's staging folder in `dataset` (and the dataset folder), with its heartbeat. */
export function openStaging(dataset: string): Staging {
  const me = identity();
  const root = join(dataset, STAGING);
  const name = `${me.host}.b${me.boot}.n${me.pidns}.p${me.pid}.s${me.start}.${randomBytes(4).toString("hex")}`;
  const dir = join(root, name);
  for (;;) {
    mkdirSync(root, { recursive: true });
    try {
      mkdirSync(dir);
      break;
    } catch (e) {
      // another writer removed the empty .staging/ between the two: again
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  fsyncPath(root);
  const beat = setInterval(() => {
    try {
      const t = new Date();
      utimesSync(dir, t, t);
    } catch {
      // removed by a recoverer that judged us dead: the commit will fail and say so
    }
  }, HEARTBEAT_MS);
  beat.unref();
  return {
    dir,
    close() {
      clearInterval(beat);
      rmSync(dir, { recursive: true, force: true });
      try {
        rmdirSync(root);
      } catch {
        // other writers' folders are still there
      }
    },
  };
}

/** A staging folder whose owner is not known to be alive. */
export interface StaleStaging {
  name: string;
  dir: string;
  owner: OwnerState;
}

/** The staging folders of `dataset` and their owners' states. */
export function stagingFolders(dataset: string): StaleStaging[] {
  const root = join(dataset, STAGING);
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return [];
  }
  return names.map((name) => ({ name, dir: join(root, name), owner: ownerState(root, name) }));
}

/** The runs an abandoned staging folder moved aside and would put back (for fsck's report). */
export function replacedRuns(dir: string): { image: string; run: string }[] {
  const out: { image: string; run: string }[] = [];
  const rep = join(dir, "replaced");
  for (const f of safeList(rep)) {
    if (!f.endsWith(".json")) continue;
    try {
      const note = JSON.parse(readFileSync(join(rep, f), "utf8")) as { image: string; run: string };
      if (isDir(join(rep, f.slice(0, -".json".length)))) out.push({ image: note.image, run: note.run });
    } catch {
      // written before its folder was moved: nothing was moved
    }
  }
  for (const f of safeList(dir)) if (f.startsWith("recover-")) out.push(...replacedRuns(join(dir, f)));
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Which commit makes a moved-aside run folder obsolete: run `image`/`run` committed with `key`. */
export interface Supersede {
  image: string;
  run: string;
  key: string;
}

/**
 * Moves committed run folder `final` aside into staging folder `staging` (for --replace), after
 * noting which run it is and which commit supersedes it, so that recovery can put it back when
 * that commit did not happen. Returns where it went, or null when it was no longer there
 * (another writer moved it).
 */
export function moveAside(
  staging: string,
  final: string,
  run: { image: string; run: string },
  by: Supersede,
): string | null {
  const rep = join(staging, "replaced");
  mkdirSync(rep, { recursive: true });
  const n = safeList(rep).filter((f) => f.endsWith(".json")).length;
  const note = { image: run.image, run: run.run, superseded_by: by };
  writeDurable(join(rep, `${n}.json`), JSON.stringify(note) + "\n");
  fsyncPath(rep);
  const aside = join(rep, String(n));
  try {
    renameDurable(final, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      rmSync(join(rep, `${n}.json`), { force: true });
      return null;
    }
    throw e;
  }
  return aside;
}

/** Discards what `staging` moved aside (its superseding commits are done). */
export function discardAside(staging: string): void {
  rmSync(join(staging, "replaced"), { recursive: true, force: true });
}

/**
 * Puts back what folder `dir` moved aside whose superseding commit did not happen, where its run is
 * still missing; recurses into the folders it claimed.
 */
function restore(dataset: string, dir: string): void {
  const rep = join(dir, "replaced");
  for (const f of safeList(rep)) {
    if (!f.endsWith(".json")) continue;
    const aside = join(rep, f.slice(0, -".json".length));
    if (!isDir(aside)) continue;
    let note: { image: string; run: string; superseded_by: Supersede };
    try {
      note = JSON.parse(readFileSync(join(rep, f), "utf8")) as typeof note;
    } catch {
      continue;
    }
    const by = readRecord(partitionDir(dataset, note.superseded_by));
    if (by && by.record.key === note.superseded_by.key) continue; // superseded: the old version goes
    const final = partitionDir(dataset, note);
    mkdirSync(dirname(final), { recursive: true });
    try {
      renameDurable(aside, final);
    } catch (e) {
      // another writer committed the run meanwhile (ENOTEMPTY, EEXIST): theirs stands
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw e;
    }
  }
  for (const f of safeList(dir)) if (f.startsWith("recover-")) restore(dataset, join(dir, f));
}

/**
 * Recovers the abandoned staging folder `name`: claims it into `mine` (this writer's staging
 * folder), puts back what it moved aside where still missing, removes it. Returns false when
 * another writer claimed it first.
 */
export function recoverStaging(dataset: string, name: string, mine: string): boolean {
  const claimed = join(mine, `recover-${name}`);
  try {
    renameSync(join(dataset, STAGING, name), claimed);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
  restore(dataset, claimed);
  rmSync(claimed, { recursive: true, force: true });
  return true;
}

/** Recovers every staging folder of `dataset` whose owner is dead; returns their names. */
export function recoverDead(dataset: string, mine: string): string[] {
  const done: string[] = [];
  for (const s of stagingFolders(dataset)) {
    if (s.dir === mine || s.owner.state !== "dead") continue;
    if (recoverStaging(dataset, s.name, mine)) done.push(s.name);
  }
  return done;
}
