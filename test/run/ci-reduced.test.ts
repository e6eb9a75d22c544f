/**
 * CI's reduced paper study end to end on the real host: `sandmine run datasets/experiments/
 * ci-reduced.yaml` — the paper study's nginx and redis experiments, one recorded run each, every
 * stage from the image to the results folder — then what a user relies on: every stage ran once
 * and `--status` says each is fresh, the paper's use cases (nginx 2, redis 9) and the recorded
 * tests pass under the mined `safe` profile, the results folder holds the JSON and Parquet
 * tables with no path of the machine that made them, and a second run reuses every stage. Needs
 * root, Docker, runc, strace, gcc, the host clients of the paper experiments and the base Debian
 * tree (`datasets/record/build-images.sh base`, which .ci/run runs): skipped without them,
 * failing under CI=true.
 */
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDb, quoteString } from "../../pipeline/duckdb.ts";
import { CACHE } from "../../pipeline/host/images.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import { datasetHashes, sandmine, warmBundle } from "../dataset/child.ts";
import { hostMissing } from "../host/prereqs.ts";
import { REPO_ROOT } from "../util/datasets.ts";

const STUDY = join(REPO_ROOT, "datasets/experiments/ci-reduced.yaml");
const IMAGES = ["nginx", "redis"];
const MODES = ["none", "safe", "learned"];
/** the paper's use cases per subject (../shared/docs/paper.md) and the mining tests of each experiment */
const USE_CASES: Record<string, number> = { nginx: 2, redis: 9 };
const TESTS: Record<string, number> = { nginx: 4, redis: 2 };
const STAGES = [
  ...IMAGES.flatMap((e) => [
    `${e}/image`,
    `${e}/record`,
    `${e}/ingest`,
    `${e}/characterize`,
    `${e}/coverage`,
    ...MODES.flatMap((m) => [`${e}/synthesize-${m}`, `${e}/check-${m}`]),
    `${e}/validate`,
  ]),
  "report",
  "results",
];

const onPath = (cmd: string): boolean =>
  (process.env.PATH ?? "").split(":").some((d) => {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

function missingHere(): string[] {
  const missing = hostMissing();
  for (const c of ["curl", "wget", "httperf", "ab", "redis-cli", "redis-benchmark"])
    if (!onPath(c)) missing.push(c);
  try {
    accessSync(join(CACHE, "bookworm-rootfs", ".sandmine-complete"));
  } catch {
    missing.push(`the base Debian tree ${CACHE}/bookworm-rootfs (datasets/record/build-images.sh base)`);
  }
  return missing;
}

const missing = missingHere();
if (missing.length > 0 && process.env.CI)
  throw new Error(`sandmine run ci-reduced.yaml needs ${missing.join(", ")}; required when CI is set`);

interface RunJson {
  ran: string[];
  reused: string[];
  failed: { id: string; error: string }[];
  findings: { id: string; finding: string }[];
  seconds: number;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

describe.skipIf(missing.length > 0)(
  `sandmine run ci-reduced.yaml${missing.length ? ` (skipped: missing ${missing.join(", ")})` : ""}`,
  () => {
    let dir = "";
    let cache = "";
    let out = "";
    let first: RunJson;
    const args = (): string[] => ["--cache", cache, "--out", out];

    beforeAll(async () => {
      dir = mkdtempSync("/var/tmp/sandmine-ci-reduced.");
      cache = join(dir, "cache");
      out = join(dir, "results");
      await warmBundle();
      const r = await sandmine(["run", STUDY, ...args(), "--json", "-q"]);
      expect(r.code, r.err).toBe(0);
      first = JSON.parse(r.out) as RunJson;
      // the measured wall time, for the reader of CI logs (no assertion on it)
      console.log(`ci-reduced: first run ${first.seconds.toFixed(0)} s`);
    }, 5_400_000);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("runs every stage once, without failures", () => {
      expect(first.failed).toEqual([]);
      expect(first.ran).toEqual(STAGES);
    });

    it("--status says every stage is fresh", async () => {
      const s = await sandmine(["run", "--status", STUDY, ...args(), "--json"]);
      expect(s.code, s.out + s.err).toBe(0);
      const rows = (JSON.parse(s.out) as { stages: { id: string; state: string }[] }).stages;
      expect(rows.map((r) => r.id)).toEqual(STAGES);
      expect(rows.filter((r) => r.state !== "fresh")).toEqual([]);
    });

    it("the use cases and the recorded tests pass under the mined safe profile", () => {
      for (const e of IMAGES) {
        const v = readJson<ValidationReport>(join(out, e, "validate", "validate.json"));
        expect(v.profiles.map((p) => p.label)).toEqual(MODES);
        const safe = v.profiles.find((p) => p.label === "safe")!;
        expect(safe.enforce?.started, e).toBe(true);
        const rows = safe.enforce!.rows;
        const failing = rows.filter((r) => !r.enforced.passed).map((r) => `${r.name}: ${r.enforced.reason}`);
        expect(failing, e).toEqual([]);
        expect(rows.filter((r) => r.kind === "use_case")).toHaveLength(USE_CASES[e]!);
        expect(rows.filter((r) => r.kind === "test")).toHaveLength(TESTS[e]!);
        expect(safe.enforce!.regressions, e).toBe(0);
        // complain mode ran the same commands and read the kernel's audit records
        expect(safe.complain?.started, e).toBe(true);
        // the probes: safe blocks every one
        expect(safe.probes?.length, e).toBeGreaterThan(0);
        expect(
          safe.probes!.filter((p) => !p.blocked).map((p) => p.name),
          e,
        ).toEqual([]);
      }
    });

    it("writes the results: JSON and Parquet tables, profiles and the report", async () => {
      const files = Object.keys(datasetHashes(out));
      for (const e of IMAGES)
        for (const f of [
          `${e}/image.json`,
          `${e}/record.json`,
          `${e}/runs.parquet`,
          `${e}/characterize/syscalls.parquet`,
          `${e}/coverage/summary.parquet`,
          `${e}/validate/validate.json`,
          ...MODES.map((m) => `${e}/profiles/${e}.${m}.json`),
          ...MODES.map((m) => `${e}/check/${m}/check.json`),
        ])
          expect(files).toContain(f);
      expect(files).toContain("study.json");
      expect(files).toContain("report.html");
      for (const e of IMAGES) {
        const runs = await withDb((db) =>
          db.query<{ n: bigint }>(
            `SELECT count(*) AS n FROM read_parquet(${quoteString(join(out, e, "runs.parquet"))})`,
          ),
        );
        expect(Number(runs[0]!.n), e).toBe(1);
        const check = readJson<{ denied: number }>(join(out, e, "check", "safe", "check.json"));
        expect(check.denied, e).toBe(0);
      }
      // results are committed: no path of the machine or the cache that made them
      for (const f of files.filter((x) => x.endsWith(".json") || x.endsWith(".html"))) {
        const text = readFileSync(join(out, f), "utf8");
        expect(text.includes(dir), `${f} names the work folder ${dir}`).toBe(false);
        expect(text.includes(REPO_ROOT), `${f} names the checkout ${REPO_ROOT}`).toBe(false);
      }
    });

    it("a second run reuses every stage", async () => {
      const r = await sandmine(["run", STUDY, ...args(), "--json", "-q"]);
      expect(r.code, r.err).toBe(0);
      const second = JSON.parse(r.out) as RunJson;
      expect(second.ran).toEqual([]);
      expect(second.reused).toEqual(STAGES);
    }, 600_000);
  },
);
