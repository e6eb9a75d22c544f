/**
 * Runs a study's stages in order, each only when its record is missing or its key (inputs,
 * parameters, code) changed, and publishes each as the cache says (pipeline/run/cache.ts); then
 * installs the results folder. `studyStatus` says the same per stage without running anything.
 */
import { cpSync, existsSync, renameSync, rmSync } from "node:fs";
import { Cache, runKillPoint } from "./cache.ts";
import { treeHash } from "./hash.ts";
import { keyOf, keyParts, whyStale } from "./keys.ts";
import { planStudy } from "./plan.ts";
import type { KeyParts, LoadedStudy, RunResult, StageDef, StageRecord, StageStatus } from "./types.ts";
import { messageOf } from "../errors.ts";

export interface RunOptions {
  /** stage patterns (`*` any text) to run again even when fresh */
  redo: readonly string[];
  workers: number;
  log: (s: string) => void;
}

const RESULTS = "results";

const matches = (pattern: string, id: string): boolean =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  ).test(id);

/** Whether a stage is fresh now (deps fresh, given), and why not. */
function evaluate(
  def: StageDef,
  cache: Cache,
  outputOf: (dep: string) => string,
): { status: StageStatus; parts: KeyParts | null } {
  const rec = cache.record(def.id);
  let parts: KeyParts;
  try {
    parts = keyParts(def, cache.memo, outputOf);
  } catch (e) {
    // an input that cannot be read (a context folder not there): the stage cannot run
    const reason = `cannot read its inputs: ${messageOf(e)}`;
    return { status: { id: def.id, state: rec ? "stale" : "missing", reason }, parts: null };
  }
  if (!rec) {
    const reason = cache.unfinished(def.id) ? "not finished (a run stopped inside it)" : "never run";
    return { status: { id: def.id, state: "missing", reason }, parts };
  }
  const why = whyStale(rec, parts);
  if (why.length === 0 && rec.key !== keyOf(parts)) why.push("key changed");
  if (why.length === 0) {
    const now = cache.outputNow(def.id);
    if (!now) why.push("outputs missing");
    else if (now.hash !== rec.output) {
      const was = new Map(rec.files.map((f) => [f.path, f.sha256]));
      const is = new Map(now.files.map((f) => [f.path, f.sha256]));
      const changed = [...new Set([...was.keys(), ...is.keys()])]
        .filter((p) => was.get(p) !== is.get(p))
        .sort();
      why.push(
        `output changed (${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ` and ${changed.length - 3} more` : ""})`,
      );
    }
  }
  return {
    status: { id: def.id, state: why.length ? "stale" : "fresh", reason: why.join("; ") },
    parts,
  };
}

function sameTree(dir: string, rec: StageRecord, cache: Cache): boolean {
  return existsSync(dir) && treeHash(dir, cache.memo).hash === rec.output;
}

/** Each stage's state, without running anything (stages after a stale one are stale). */
export async function studyStatus(study: LoadedStudy): Promise<StageStatus[]> {
  const cache = new Cache(study.cache);
  const plan = planStudy(study, cache.memo);
  const states = new Map<string, StageStatus>();
  const out: StageStatus[] = [];
  for (const def of plan) {
    const notFresh = def.deps.map((d) => states.get(d)!).filter((s) => s.state !== "fresh");
    let st: StageStatus;
    if (notFresh.length > 0) {
      const rec = cache.record(def.id);
      const after = `after ${notFresh
        .map((s) => `${s.state} ${s.id}`)
        .slice(0, 3)
        .join(", ")}${notFresh.length > 3 ? ` and ${notFresh.length - 3} more` : ""}`;
      st = rec
        ? { id: def.id, state: "stale", reason: after }
        : {
            id: def.id,
            state: "missing",
            reason: cache.unfinished(def.id) ? `not finished; ${after}` : "never run",
          };
    } else {
      st = evaluate(def, cache, (d) => cache.record(d)!.output).status;
      // the run installs a published results stage again where the folder differs: not a rerun
      if (def.id === RESULTS && st.state === "fresh" && !sameTree(study.out, cache.record(RESULTS)!, cache))
        st = { ...st, state: "stale", reason: `results folder ${study.out} differs from the cache` };
    }
    states.set(def.id, st);
    out.push(st);
  }
  cache.memo.save();
  return out;
}

/** Copies the published results stage into the results folder (a copy renamed into place). */
function install(study: LoadedStudy, cache: Cache): void {
  const tmp = `${study.out}.sandmine-${process.pid}`;
  const old = `${study.out}.sandmine-old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  cpSync(cache.dir(RESULTS), tmp, { recursive: true });
  if (existsSync(study.out)) renameSync(study.out, old);
  renameSync(tmp, study.out);
  rmSync(old, { recursive: true, force: true });
}

export async function runStudy(study: LoadedStudy, o: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  const cache = new Cache(study.cache);
  const release = cache.lock();
  const result: RunResult = {
    study: study.name,
    cache: study.cache,
    out: study.out,
    ran: [],
    reused: [],
    failed: [],
    skipped: [],
    findings: [],
    seconds: 0,
  };
  try {
    const plan = planStudy(study, cache.memo);
    const bad = new Set<string>();
    for (const def of plan) {
      if (def.deps.some((d) => bad.has(d))) {
        bad.add(def.id);
        result.skipped.push(def.id);
        continue;
      }
      const { status, parts } = evaluate(def, cache, (d) => cache.record(d)!.output);
      if (!parts) {
        bad.add(def.id);
        result.failed.push({ id: def.id, error: status.reason });
        o.log(`${def.id}: failed: ${status.reason}`);
        continue;
      }
      const redo = o.redo.some((p) => matches(p, def.id));
      if (status.state === "fresh" && !redo) {
        result.reused.push(def.id);
      } else {
        o.log(`${def.id}: ${redo && status.state === "fresh" ? "--redo" : status.reason}`);
        runKillPoint(def.id, "before");
        const dir = cache.startWork(def.id);
        const started = Date.now();
        try {
          await def.run({
            dir,
            dep: (id) => {
              if (!def.deps.includes(id))
                throw new Error(`internal: ${def.id} reads ${id}, not one of its deps`);
              return cache.dir(id);
            },
            record: (id) => cache.record(id)!,
            workers: o.workers,
            log: (s) => o.log(`${def.id}: ${s}`),
          });
        } catch (e) {
          bad.add(def.id);
          result.failed.push({ id: def.id, error: messageOf(e) });
          o.log(`${def.id}: failed: ${messageOf(e)}`);
          rmSync(dir, { recursive: true, force: true });
          continue;
        }
        runKillPoint(def.id, "work");
        const seconds = (Date.now() - started) / 1000;
        cache.publish(def.id, { format: "sandmine-stage/1", id: def.id, key: keyOf(parts), parts, seconds });
        result.ran.push(def.id);
        o.log(`${def.id}: done in ${seconds.toFixed(1)} s`);
      }
      for (const finding of def.findings?.(cache.dir(def.id)) ?? [])
        result.findings.push({ id: def.id, finding });
    }
    const rec = cache.record(RESULTS);
    if (rec && !bad.has(RESULTS) && !sameTree(study.out, rec, cache)) {
      install(study, cache);
      o.log(`results: installed ${study.out}`);
    }
  } finally {
    release();
  }
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}
