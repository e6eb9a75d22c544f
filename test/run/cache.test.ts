/**
 * `sandmine run` without Docker: a study whose entries are the bundled captures (memcached's run
 * folders, redis from datasets/captures.yaml) instead of recordings, so the cache, the status and
 * the resume after SIGKILL are tested on any machine. Asserted by which stages ran (the --json
 * summary), never by time: a first run runs every stage, a second none; a changed parameter makes
 * exactly its dependent stages stale; runs killed at stage boundaries and inside stages (also
 * inside ingest's own commit, and from outside at an arbitrary moment) resume and end with the
 * bytes of an uninterrupted run.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetHashes, sandmine, warmBundle, type ChildResult } from "../dataset/child.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";

interface RunJson {
  ran: string[];
  reused: string[];
  failed: { id: string; error: string }[];
}
interface StatusJson {
  stages: { id: string; state: string; reason: string }[];
}

const CAPTURES = join(REPO_ROOT, "datasets", "captures");

/** The study: memcached with three modes, redis (from the manifest) with one. */
function studyText(o: { out: string; seed?: number; redisModes?: string[] }): string {
  return [
    "name: bundled-test",
    `out: ${o.out}`,
    "experiments:",
    `  - captures: ${join(CAPTURES, "memcached")}`,
    "    modes: [none, safe, learned]",
    `  - captures: ${join(REPO_ROOT, "datasets", "captures.yaml")}`,
    "    name: redis",
    `    modes: [${(o.redisModes ?? ["safe"]).join(", ")}]`,
    `coverage: { orders: 20, seed: ${o.seed ?? 1} }`,
    "",
  ].join("\n");
}

const STAGES = [
  "memcached/captures",
  "memcached/ingest",
  "memcached/characterize",
  "memcached/coverage",
  "memcached/synthesize-none",
  "memcached/check-none",
  "memcached/synthesize-safe",
  "memcached/check-safe",
  "memcached/synthesize-learned",
  "memcached/check-learned",
  "redis/captures",
  "redis/ingest",
  "redis/characterize",
  "redis/coverage",
  "redis/synthesize-safe",
  "redis/check-safe",
  "report",
  "results",
];

let root = "";

function json<T>(r: ChildResult): T {
  try {
    return JSON.parse(r.out) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}, signal ${r.signal}): ${r.out}\n${r.err}`);
  }
}

async function run(study: string, cache: string, env: Record<string, string> = {}): Promise<ChildResult> {
  return sandmine(["run", study, "--cache", cache, "--json", "-q", "--workers", "2"], env);
}

/** A run in this process (the runs that are killed are child processes). */
async function runOk(study: string, cache: string): Promise<RunJson> {
  const r = await runCli("run", study, "--cache", cache, "--json", "-q", "--workers", "2");
  expect(r.code, r.err).toBe(0);
  return json<RunJson>({ ...r, signal: null });
}

async function status(
  study: string,
  cache: string,
): Promise<{ code: number | null; rows: StatusJson["stages"] }> {
  const r = await runCli("run", "--status", study, "--cache", cache, "--json");
  return { code: r.code, rows: json<StatusJson>({ ...r, signal: null }).stages };
}

const stateOf = (rows: StatusJson["stages"]) => Object.fromEntries(rows.map((r) => [r.id, r.state]));

/** Every stage's recorded output hash and every file of the results folder. */
function outputs(
  cache: string,
  out: string,
): { stages: Record<string, string>; results: Record<string, string> } {
  const stages: Record<string, string> = {};
  for (const id of STAGES) {
    const file = join(cache, "stages", id.includes("/") ? id : `@study/${id}`) + ".json";
    stages[id] = (JSON.parse(readFileSync(file, "utf8")) as { output: string }).output;
  }
  return { stages, results: datasetHashes(out) };
}

/** Starts a run and SIGKILLs it (by its PID) as soon as `path` exists: somewhere inside that stage. */
function killWhenExists(study: string, cache: string, path: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--enable-source-maps", "pipeline/launch.mjs", "cli", "run", study, "--cache", cache, "--json", "-q"],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const timer = setInterval(() => {
      if (existsSync(path) && child.pid !== undefined) {
        clearInterval(timer);
        process.kill(child.pid, "SIGKILL");
      }
    }, 5);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, out, err });
    });
  });
}

describe("sandmine run on bundled captures (no Docker)", () => {
  let study = "";
  let cache = "";
  let out = "";
  let reference: ReturnType<typeof outputs>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sandmine-run-test-"));
    out = join(root, "results");
    cache = join(root, "cache");
    study = join(root, "study.yaml");
    writeFileSync(study, studyText({ out }));
    await warmBundle();
  }, 300_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("first run: every stage missing, then run once each, then all fresh", async () => {
    const before = await status(study, cache);
    expect(before.rows.map((r) => r.id)).toEqual(STAGES);
    expect(new Set(before.rows.map((r) => r.state))).toEqual(new Set(["missing"]));
    expect(before.code).toBe(1);
    const r = await runOk(study, cache);
    expect(r.ran).toEqual(STAGES);
    expect(r.reused).toEqual([]);
    const after = await status(study, cache);
    expect(
      after.rows.every((x) => x.state === "fresh"),
      JSON.stringify(after.rows),
    ).toBe(true);
    expect(after.code).toBe(0);
    reference = outputs(cache, out);
    expect(Object.keys(reference.results)).toEqual(
      expect.arrayContaining([
        "study.json",
        "report.html",
        "memcached/characterize/syscalls.parquet",
        "memcached/coverage/coverage.json",
        "memcached/profiles/memcached.learned.json",
        "memcached/check/safe/check.json",
        "redis/profiles/redis.safe.report.json",
        "redis/runs.parquet",
      ]),
    );
  }, 600_000);

  it("second run with nothing changed recomputes nothing", async () => {
    const r = await runOk(study, cache);
    expect(r.ran).toEqual([]);
    expect(r.reused).toEqual(STAGES);
    expect(outputs(cache, out)).toEqual(reference);
  }, 300_000);

  it("a changed parameter makes exactly the stages that depend on it stale", async () => {
    writeFileSync(study, studyText({ out, seed: 7 }));
    const s = await status(study, cache);
    const stale = s.rows.filter((x) => x.state !== "fresh");
    expect(stale.map((x) => x.id)).toEqual(["memcached/coverage", "redis/coverage", "results"]);
    expect(stale[0]!.reason).toBe("parameters changed (seed)");
    expect(stale[2]!.reason).toMatch(/^after stale memcached\/coverage, stale redis\/coverage/);
    const r = await runOk(study, cache);
    expect(r.ran).toEqual(["memcached/coverage", "redis/coverage", "results"]);

    // a new mode: its two stages are missing, the report and the results stale; nothing else runs
    writeFileSync(study, studyText({ out, seed: 7, redisModes: ["safe", "none"] }));
    const m = (await status(study, cache)).rows.filter((x) => x.state !== "fresh");
    expect(m.map((x) => [x.id, x.state])).toEqual([
      ["redis/synthesize-none", "missing"],
      ["redis/check-none", "missing"],
      ["report", "stale"],
      ["results", "stale"],
    ]);
    expect(m[2]!.reason).toBe("after missing redis/synthesize-none");
    const added = await runOk(study, cache);
    expect(added.ran).toEqual(["redis/synthesize-none", "redis/check-none", "report", "results"]);
    // back to the first study: its stages' records are still there, only what differs runs again
    writeFileSync(study, studyText({ out }));
    const back = await runOk(study, cache);
    expect(back.ran).toEqual(["memcached/coverage", "redis/coverage", "report", "results"]);
    expect(outputs(cache, out)).toEqual(reference);
  }, 600_000);

  it("an output edited in the cache or the results folder is stale and rebuilt", async () => {
    const f = join(cache, "stages", "memcached", "characterize", "characterize.json");
    writeFileSync(f, readFileSync(f, "utf8") + " ");
    const s = await status(study, cache);
    expect(s.rows.find((x) => x.id === "memcached/characterize")!.reason).toBe(
      "output changed (characterize.json)",
    );
    writeFileSync(join(out, "study.json"), "{}\n");
    const r = await runOk(study, cache);
    expect(r.ran).toEqual(["memcached/characterize"]);
    expect(outputs(cache, out)).toEqual(reference);
  }, 600_000);

  it("killed with SIGKILL at stage boundaries and inside stages, reruns finish with the same bytes", async () => {
    const c2 = join(root, "cache-killed");
    const o2 = join(root, "results-killed");
    const s2 = join(root, "study-killed.yaml");
    writeFileSync(s2, studyText({ out: o2 }));
    const killed = async (env: Record<string, string>) => {
      const r = await run(s2, c2, env);
      expect(r.signal, `${JSON.stringify(env)}: ${r.err}`).toBe("SIGKILL");
      return stateOf((await status(s2, c2)).rows);
    };
    // at a boundary: before characterize
    let m = await killed({ SANDMINE_RUN_KILL_AT: "memcached/characterize:before" });
    expect(m["memcached/ingest"]).toBe("fresh");
    expect(m["memcached/characterize"]).toBe("missing");
    // inside ingest's own commit (the redis ingest: memcached's is done), after its first run is staged
    m = await killed({ SANDMINE_CRASH_AT: "recorded#2" });
    expect(m["memcached/check-learned"]).toBe("fresh");
    expect(m["redis/ingest"]).toBe("missing");
    // inside a stage: its work done, not yet published
    m = await killed({ SANDMINE_RUN_KILL_AT: "redis/synthesize-safe:work" });
    expect(m["redis/coverage"]).toBe("fresh");
    expect(m["redis/synthesize-safe"]).toBe("missing");
    // while publishing: the folder renamed into place, its record not yet written
    m = await killed({ SANDMINE_RUN_KILL_AT: "report:published" });
    expect(m["redis/check-safe"]).toBe("fresh");
    expect(m.report).toBe("missing");
    expect((await status(s2, c2)).rows.find((x) => x.id === "report")!.reason).toMatch(/^not finished/);
    // from outside, at whatever point the report stage has reached when its work folder appears
    const ext = await killWhenExists(s2, c2, join(c2, ".work", "@study", "report"));
    expect(ext.signal).toBe("SIGKILL");
    const last = await runOk(s2, c2);
    expect(last.ran).toEqual(["report", "results"]);
    expect(outputs(c2, o2)).toEqual({ stages: reference.stages, results: reference.results });
    expect(existsSync(join(c2, ".work"))).toBe(false);
    expect(existsSync(join(c2, "lock"))).toBe(false);
  }, 900_000);

  it("refuses a cache another live run holds", async () => {
    writeFileSync(join(cache, "lock"), `${process.pid}\n`);
    try {
      const r = await run(study, cache);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`in use by another sandmine run (pid ${process.pid})`);
    } finally {
      rmSync(join(cache, "lock"), { force: true });
    }
  }, 120_000);
});
