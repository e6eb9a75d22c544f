/**
 * The stage cache of `sandmine run`: CACHE/stages/ID/ holds a published stage's outputs and
 * CACHE/stages/ID.json its record (key, key parts, output files with sha256), written last.
 * A stage works in CACHE/.work/ID/ and is published by: removing the old record, moving the old
 * outputs aside, renaming the work folder into place, writing the record (temporary file, then
 * rename). So a record exists only beside the complete outputs it describes, whenever the process
 * is killed. One run at a time per cache (CACHE/lock names its process); the next run removes
 * what a killed one left in .work/.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  openSync,
  closeSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.ts";
import { isDir } from "../dataset/durable.ts";
import { HashMemo, treeHash } from "./hash.ts";
import type { StageRecord } from "./types.ts";
import { pidAlive as alive } from "../pid-alive.ts";

/** Study-level stages live under this folder (no entry name can start with '@'). */
const STUDY_DIR = "@study";

/** Kills the process when SANDMINE_RUN_KILL_AT is `ID:POINT` (the crash tests; a no-op otherwise). */
export function runKillPoint(id: string, point: "before" | "work" | "published"): void {
  if (process.env.SANDMINE_RUN_KILL_AT === `${id}:${point}`) process.kill(process.pid, "SIGKILL");
}

export class Cache {
  readonly memo: HashMemo;
  /** the stages whose work folders a killed run left (removed by `lock`, still reported as unfinished) */
  private readonly interrupted = new Set<string>();

  constructor(readonly root: string) {
    this.memo = new HashMemo(existsSync(root) ? join(root, "hash-memo.json") : undefined);
  }

  /** The published folder of a stage. */
  dir(id: string): string {
    return join(this.root, "stages", id.includes("/") ? id : join(STUDY_DIR, id));
  }

  private recordFile(id: string): string {
    return `${this.dir(id)}.json`;
  }

  private workDir(id: string): string {
    return join(this.root, ".work", id.includes("/") ? id : join(STUDY_DIR, id));
  }

  record(id: string): StageRecord | null {
    try {
      return JSON.parse(readFileSync(this.recordFile(id), "utf8")) as StageRecord;
    } catch {
      return null;
    }
  }

  /** Whether a stage's folder was left without its record (a run killed while publishing it). */
  unfinished(id: string): boolean {
    return this.interrupted.has(id) || existsSync(this.dir(id)) || existsSync(this.workDir(id));
  }

  /** The stage ids of the work folders under .work/ (`IMAGE/STAGE`, or `@study/ID` for study-level ones). */
  private workIds(): string[] {
    const work = join(this.root, ".work");
    const ids: string[] = [];
    for (const top of existsSync(work) ? readdirSync(work) : [])
      for (const name of isDir(join(work, top)) ? readdirSync(join(work, top)) : []) {
        const stage = name.replace(/\.old$/, "");
        ids.push(top === STUDY_DIR ? stage : `${top}/${stage}`);
      }
    return ids;
  }

  /** The output hash of a stage's published folder now (null when it is not there). */
  outputNow(id: string): { hash: string; files: StageRecord["files"] } | null {
    return existsSync(this.dir(id)) ? treeHash(this.dir(id), this.memo) : null;
  }

  /**
   * Takes the cache for this process (refused while another live process holds it), removes what
   * killed runs left in .work/; returns the release function.
   */
  lock(): () => void {
    mkdirSync(this.root, { recursive: true });
    const file = join(this.root, "lock");
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(file, "wx");
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 2) throw e;
        const pid = Number(readFileSync(file, "utf8").trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
          throw new UsageError(`${this.root} is in use by another sandmine run (pid ${pid})`);
        rmSync(file, { force: true });
      }
    }
    for (const id of this.workIds()) this.interrupted.add(id);
    rmSync(join(this.root, ".work"), { recursive: true, force: true });
    (this as { memo: HashMemo }).memo = new HashMemo(join(this.root, "hash-memo.json"));
    return () => {
      this.memo.save();
      rmSync(join(this.root, ".work"), { recursive: true, force: true });
      rmSync(file, { force: true });
    };
  }

  /** A fresh, empty work folder for the stage. */
  startWork(id: string): string {
    const d = this.workDir(id);
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
    return d;
  }

  /** Publishes the stage's work folder and then its record (see the module comment for the order). */
  publish(id: string, record: Omit<StageRecord, "output" | "files">): StageRecord {
    const work = this.workDir(id);
    const { hash, files } = treeHash(work, this.memo);
    const dir = this.dir(id);
    rmSync(this.recordFile(id), { force: true });
    const aside = `${work}.old`;
    rmSync(aside, { recursive: true, force: true });
    if (existsSync(dir)) renameSync(dir, aside);
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(work, dir);
    this.memo.moved(work, dir);
    runKillPoint(id, "published");
    const full: StageRecord = { ...record, output: hash, files };
    const tmp = `${this.recordFile(id)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(full, null, 1) + "\n");
    renameSync(tmp, this.recordFile(id));
    rmSync(aside, { recursive: true, force: true });
    this.memo.save();
    return full;
  }

  /** Removes a stage's record and outputs (a stage the plan no longer has). */
  forget(id: string): void {
    try {
      unlinkSync(this.recordFile(id));
    } catch {
      // not there
    }
    rmSync(this.dir(id), { recursive: true, force: true });
  }
}
