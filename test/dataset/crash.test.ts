/**
 * Kills `sandmine ingest` with SIGKILL at every kill point (pipeline/dataset/crash.ts: each step of
 * the scan, parse, staging, commit, --replace and table rebuild), then checks that what the kill
 * left reads as a consistent dataset (every run folder committed, the events readers see are
 * exactly the committed runs'), that re-running the same command gives the dataset of an
 * uninterrupted run byte for byte (sha256 of every file), and that `sandmine fsck` finds it clean.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KILL_POINTS } from "../../pipeline/dataset/crash.ts";
import { readLog, runFolders } from "../../pipeline/dataset/log.ts";
import { COMMIT_FILE } from "../../pipeline/dataset/record.ts";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { requireOrSkip, sharedDatasets } from "../util/datasets.ts";
import { bundledManifest, datasetHashes, sandmine, warmBundle } from "./child.ts";

const TIMEOUT = 300_000;
let tmp: string;
let manifest: string;
/** the dataset of the uninterrupted ingest of `manifest` */
let fresh: Record<string, string>;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-crash-"));
  await warmBundle();
  // three runs of three images, read in tasks of 64 KiB: the parts of each canonical unit are merged
  manifest = bundledManifest(join(tmp, "captures.yaml"), [
    "memcached/run-04",
    "redis/run-04",
    "nginx/run-02",
  ]);
  const r = await sandmine(ingestArgs(join(tmp, "fresh")));
  expect(r.code, r.err).toBe(0);
  fresh = datasetHashes(join(tmp, "fresh"));
}, TIMEOUT);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ingestArgs(out: string): string[] {
  return ["ingest", "--manifest", manifest, "--out", out, "--workers", "2", "--piece-bytes", "65536", "-q"];
}

/** What a kill left must read as a dataset of committed runs only. */
async function checkConsistent(ds: string): Promise<void> {
  for (const f of runFolders(ds)) expect(readdirSync(f.dir), f.dir).toContain(COMMIT_FILE);
  const log = readLog(ds);
  const committedRows = log.runs.reduce((n, r) => n + r.record.events.reduce((m, e) => m + e.rows, 0), 0);
  const glob = join(ds, "events", "*", "*", "*.parquet");
  const seen =
    log.runs.some((r) => r.record.events.length > 0) || existsSync(join(ds, "events"))
      ? await withDb(async (db) => {
          const files = await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM glob(${quoteString(glob)})`);
          if (files[0]!.n === 0n) return 0;
          const [c] = await db.query<{ n: bigint }>(
            `SELECT count(*) AS n FROM read_parquet(${quoteString(glob)}, hive_partitioning = true)`,
          );
          return Number(c!.n);
        })
      : 0;
  expect(seen).toBe(committedRows);
}

/** Kills `args` at `point`, checks the leftovers, re-runs, compares with `want` and runs fsck. */
async function killAndRerun(ds: string, args: string[], point: string, want: Record<string, string>) {
  const killed = await sandmine(args, { SANDMINE_CRASH_AT: point });
  expect(killed.signal, `not killed at ${point}: exit ${killed.code} ${killed.err}`).toBe("SIGKILL");
  await checkConsistent(ds);
  const again = await sandmine(args);
  expect(again.code, again.err).toBe(0);
  expect(existsSync(join(ds, ".staging"))).toBe(false);
  expect(datasetHashes(ds)).toEqual(want);
  const fsck = await sandmine(["fsck", ds]);
  expect(fsck.code, fsck.out + fsck.err).toBe(0);
  expect(fsck.out).toMatch(/clean/);
}

/** Every kill point an ingest of three new runs reaches, with the repeated ones at each run. */
const FRESH_POINTS = [
  ...KILL_POINTS.filter((p) => !["replace-moved", "stale-moved"].includes(p)),
  "merged#2",
  "recorded#3",
  "commit#2",
  "committed#2",
  "committed#3",
];

describe("SIGKILL at every step of an ingest into a new dataset, then the same command again", () => {
  it.each(FRESH_POINTS)(
    "%s",
    async (point) => {
      const ds = join(tmp, `fresh-${point.replace("#", "-")}`);
      await killAndRerun(ds, ingestArgs(ds), point, fresh);
      rmSync(ds, { recursive: true, force: true });
    },
    TIMEOUT,
  );
});

describe("SIGKILL during an ingest --replace", () => {
  let before: string;
  let after: Record<string, string>;
  const replaceArgs = (out: string) => [
    "ingest",
    join("datasets", "captures", "redis", "run-05"),
    "--image",
    "redis",
    "--run",
    "run-04",
    "--replace",
    "--out",
    out,
    "--workers",
    "1",
    "-q",
  ];
  beforeAll(async () => {
    before = join(tmp, "replace-before");
    expect((await sandmine(ingestArgs(before))).code).toBe(0);
    const done = join(tmp, "replace-after");
    cpSync(before, done, { recursive: true });
    const r = await sandmine(replaceArgs(done));
    expect(r.code, r.err).toBe(0);
    after = datasetHashes(done);
    expect(after).not.toEqual(fresh);
  }, TIMEOUT);

  it.each(["replace-moved", "commit", "committed", "views-runs", "cleanup"])(
    "%s",
    async (point) => {
      const ds = join(tmp, `replace-${point}`);
      cpSync(before, ds, { recursive: true });
      await killAndRerun(ds, replaceArgs(ds), point, after);
      rmSync(ds, { recursive: true, force: true });
    },
    TIMEOUT,
  );
});

const shared = requireOrSkip(sharedDatasets(), "shared scap datasets");
describe.skipIf(shared.skipReason !== null)(
  "SIGKILL while --replace retires runs split off a host capture",
  () => {
    const scap = () =>
      join(shared.path!, "scap", "falcosecurity-falco", "psp", "run_as_user_0_container.scap");
    const args = (out: string) => ["ingest", scap(), "--image", "psp", "--replace", "--out", out, "-q"];
    let before: string;
    let after: Record<string, string>;
    beforeAll(async () => {
      before = join(tmp, "split-before");
      // without --image the capture's nginx container rows go to run nginx/run_as_user_0_container
      expect((await sandmine(["ingest", scap(), "--out", before, "-q"])).code).toBe(0);
      expect(existsSync(join(before, "events", "image=nginx"))).toBe(true);
      const done = join(tmp, "split-after");
      cpSync(before, done, { recursive: true });
      expect((await sandmine(args(done))).code).toBe(0);
      after = datasetHashes(done);
      expect(Object.keys(after).some((f) => f.includes("image=nginx"))).toBe(false);
    }, TIMEOUT);

    it.each(["stale-moved", "replace-moved", "committed"])(
      "%s",
      async (point) => {
        const ds = join(tmp, `split-${point}`);
        cpSync(before, ds, { recursive: true });
        await killAndRerun(ds, args(ds), point, after);
        rmSync(ds, { recursive: true, force: true });
      },
      TIMEOUT,
    );
  },
);
