/**
 * `sandmine fsck`: a clean dataset exits 0; each thing a crash or a stray hand leaves is reported
 * (exit 1) and put right by --repair — a staging folder of a dead writer (with a run a killed
 * --replace moved aside, put back), a run folder without a commit record, a file its record does
 * not list, an empty image folder, tables out of date with the log — while a run whose files
 * differ from its record is reported and left alone; a dataset of an older sandmine (no records)
 * is adopted from its tables.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLog, runFolders } from "../../pipeline/dataset/log.ts";
import { COMMIT_FILE } from "../../pipeline/dataset/record.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { datasetHashes, sandmine, warmBundle } from "./child.ts";

let tmp: string;
let base: string;
const capture = (run: string) => join(REPO_ROOT, "datasets", "captures", run);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-fsck-"));
  base = join(tmp, "base");
  for (const run of ["redis/run-04", "memcached/run-04"]) {
    const r = await runCli("ingest", capture(run), "--out", base, "-q", "--workers", "1");
    expect(r.code, r.err).toBe(0);
  }
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function copy(name: string): string {
  const ds = join(tmp, name);
  cpSync(base, ds, { recursive: true });
  return ds;
}

/** A pid that no process has now: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

async function fsck(ds: string, ...more: string[]) {
  const r = await runCli("fsck", ds, "--json", ...more);
  return {
    code: r.code,
    report: JSON.parse(r.out) as { clean: boolean; findings: { kind: string; path: string }[] },
  };
}

describe("sandmine fsck", () => {
  it("finds a fresh dataset clean", async () => {
    const r = await runCli("fsck", base, "--verify");
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/2 committed run\(s\)\n {2}clean/);
  });

  it("reports what a crash or a stray hand leaves, exit 1, and --repair puts it right", async () => {
    const ds = copy("orphans");
    const want = datasetHashes(ds);
    const [first, second] = runFolders(ds);
    // a staging folder of a writer that is gone (an older sandmine's .staging/PID, and one of ours)
    mkdirSync(join(ds, ".staging", String(deadPid()), "events"), { recursive: true });
    // a run folder without a commit record, an unlisted file, an empty image folder, a stale table
    mkdirSync(join(ds, "events", "image=ghost", "run=r1"), { recursive: true });
    cpSync(
      join(first!.dir, "part-00000.parquet"),
      join(ds, "events", "image=ghost", "run=r1", "part-00000.parquet"),
    );
    writeFileSync(join(second!.dir, "part-00001.parquet.123.456.tmp"), "x");
    mkdirSync(join(ds, "events", "image=empty"));
    rmSync(join(ds, "runs.parquet"));
    const before = await fsck(ds);
    expect(before.code).toBe(1);
    expect(before.report.findings.map((f) => f.kind).sort()).toEqual([
      "abandoned-staging",
      "empty-image",
      "stale-table",
      "uncommitted-run",
      "unlisted-file",
    ]);
    const repaired = await runCli("fsck", ds, "--repair");
    expect(repaired.code, repaired.out).toBe(0);
    expect(repaired.out).toMatch(/clean/);
    expect(datasetHashes(ds)).toEqual(want);
    expect((await fsck(ds)).code).toBe(0);
  });

  it("puts back a run a killed --replace had moved aside", async () => {
    await warmBundle();
    const ds = copy("replace");
    const want = datasetHashes(ds);
    const args = ["ingest", capture("redis/run-05"), "--image", "redis", "--run", "run-04", "--replace"];
    const killed = await sandmine([...args, "--out", ds, "-q"], { SANDMINE_CRASH_AT: "replace-moved" });
    expect(killed.signal).toBe("SIGKILL");
    expect(readLog(ds).runs.map((r) => r.record.run)).toEqual(["run-04"]); // memcached's only
    const found = await fsck(ds);
    expect(found.code).toBe(1);
    expect(found.report.findings.map((f) => f.kind)).toContain("abandoned-staging");
    expect((await runCli("fsck", ds, "--repair")).code).toBe(0);
    expect(datasetHashes(ds)).toEqual(want);
  }, 300_000);

  it("reports a run whose files differ from its record, and leaves it", async () => {
    const ds = copy("damaged");
    const part = join(runFolders(ds)[0]!.dir, "part-00000.parquet");
    const bytes = readFileSync(part);
    writeFileSync(part, Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(bytes.length - 100)]));
    expect((await fsck(ds)).code).toBe(0); // same size: only --verify reads the bytes
    const verified = await fsck(ds, "--verify");
    expect(verified.code).toBe(1);
    expect(verified.report.findings.map((f) => f.kind)).toEqual(["damaged-run"]);
    truncateSync(part, 10);
    const repaired = await runCli("fsck", ds, "--repair");
    expect(repaired.code).toBe(1);
    expect(repaired.out).toMatch(
      /damaged-run: .*part-00000\.parquet: 10 bytes, its record says \d+; ingest the capture again with --replace/,
    );
    expect(readFileSync(part).length).toBe(10);
  });

  it("adopts the runs of an older sandmine's dataset from its tables", async () => {
    const ds = copy("legacy");
    const runs = readFileSync(join(ds, "runs.parquet"));
    for (const f of runFolders(ds)) rmSync(join(f.dir, COMMIT_FILE));
    const r = await runCli("ingest", capture("nginx/run-05"), "--out", ds, "-q");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/2 run folder\(s\) without a commit record/);
    const found = await fsck(ds);
    expect(found.report.findings.filter((f) => f.kind === "uncommitted-run")).toHaveLength(2);
    expect((await runCli("fsck", ds, "--repair")).code).toBe(0);
    expect(readLog(ds).runs).toHaveLength(2);
    expect(readFileSync(join(ds, "runs.parquet")).equals(runs)).toBe(true);
    expect((await runCli("ingest", capture("nginx/run-05"), "--out", ds, "-q")).code).toBe(0);
    expect((await fsck(ds)).code).toBe(0);
  }, 300_000);

  it("refuses what is not a dataset", async () => {
    expect((await runCli("fsck", join(tmp, "nope"))).code).toBe(2);
    const r = await runCli("fsck", REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a sandmine dataset/);
  });
});
