/**
 * `sandmine run` end to end on the real host: the busybox experiment (datasets/experiments/
 * busybox.yaml) given directly — image, record (private dockerd, strace), ingest, characterize,
 * coverage, synthesize and check for none/safe/learned, validate's five parts — then the report and
 * the results folder; a second run reuses every stage. Needs root, Docker, runc, strace, gcc and
 * busybox-static: skipped without them, failing under CI=true.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import { datasetHashes, sandmine, warmBundle } from "../dataset/child.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { hostMissing } from "../host/prereqs.ts";

const EXPERIMENT = join(REPO_ROOT, "datasets/experiments/busybox.yaml");
const E = "busybox-e2e";
const MODES = ["none", "safe", "learned"];
const PARTS = ["enforce", "complain", "probes", "overhead", "heldout"];
const STAGES = [
  `${E}/image`,
  `${E}/record`,
  `${E}/ingest`,
  `${E}/characterize`,
  `${E}/coverage`,
  ...MODES.flatMap((m) => [`${E}/synthesize-${m}`, `${E}/check-${m}`]),
  ...PARTS.map((p) => `${E}/validate-${p}`),
  "report",
  "results",
];

const missing = hostMissing();
if (missing.length > 0 && process.env.CI)
  throw new Error(`sandmine run on busybox needs ${missing.join(", ")}; required when CI is set`);

interface RunJson {
  ran: string[];
  reused: string[];
  failed: { id: string; error: string }[];
  findings: { id: string; finding: string }[];
}

describe.skipIf(missing.length > 0)(
  `sandmine run busybox.yaml${missing.length ? ` (skipped: missing ${missing.join(", ")})` : ""}`,
  () => {
    let dir = "";
    let cache = "";
    let out = "";
    let first: RunJson;

    beforeAll(async () => {
      dir = mkdtempSync("/var/tmp/sandmine-run-e2e.");
      cache = join(dir, "cache");
      out = join(dir, "results");
      await warmBundle();
      const r = await sandmine(["run", EXPERIMENT, "--cache", cache, "--out", out, "--json", "-q"]);
      expect(r.code, r.err).toBe(0);
      first = JSON.parse(r.out) as RunJson;
    }, 3_600_000);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("runs every stage once, without failures", () => {
      expect(first.failed).toEqual([]);
      expect(first.ran).toEqual(STAGES);
    });

    it("writes the results: tables, profiles, checks, validation reports and the report", () => {
      const files = Object.keys(datasetHashes(out));
      for (const f of [
        "study.json",
        "report.html",
        `${E}/image.json`,
        `${E}/record.json`,
        `${E}/runs.parquet`,
        `${E}/characterize/syscalls.parquet`,
        `${E}/coverage/summary.parquet`,
        ...MODES.map((m) => `${E}/profiles/${E}.${m}.json`),
        ...MODES.map((m) => `${E}/check/${m}/check.json`),
        ...PARTS.map((p) => `${E}/validate/${p}.json`),
      ])
        expect(files).toContain(f);
      const check = JSON.parse(readFileSync(join(out, E, "check", "safe", "check.json"), "utf8")) as {
        denied: number;
      };
      expect(check.denied).toBe(0);
      const enforce = JSON.parse(
        readFileSync(join(out, E, "validate", "enforce.json"), "utf8"),
      ) as ValidationReport;
      expect(enforce.profiles.map((p) => p.label)).toEqual(MODES);
      for (const p of enforce.profiles) expect(p.enforce?.regressions, p.label).toBe(0);
      const probes = JSON.parse(
        readFileSync(join(out, E, "validate", "probes.json"), "utf8"),
      ) as ValidationReport;
      const safe = probes.profiles.find((p) => p.label === "safe")!;
      expect(safe.probes!.every((x) => x.blocked)).toBe(true);
      const held = JSON.parse(
        readFileSync(join(out, E, "validate", "heldout.json"), "utf8"),
      ) as ValidationReport;
      for (const p of held.profiles)
        expect(
          p.heldOut?.map((h) => h.heldOut),
          p.label,
        ).toEqual(["run-01", "run-02"]);
    });

    it("a second run reuses every stage, and --status says all fresh", async () => {
      const r = await sandmine(["run", EXPERIMENT, "--cache", cache, "--out", out, "--json", "-q"]);
      expect(r.code, r.err).toBe(0);
      const second = JSON.parse(r.out) as RunJson;
      expect(second.ran).toEqual([]);
      expect(second.reused).toEqual(STAGES);
      const s = await sandmine(["run", "--status", EXPERIMENT, "--cache", cache, "--out", out]);
      expect(s.code, s.out).toBe(0);
    }, 600_000);
  },
);
