/**
 * End to end on the real host: the busybox experiment (datasets/experiments/busybox.yaml) is
 * recorded under strace through a private dockerd, ingested, synthesized, checked and validated;
 * its tests pass under enforcement, the complain run logs nothing for the recorded tests and logs
 * the never-recorded `sync` use case, every attack probe is blocked, and a profile without
 * `mkdir` fails validation and names mkdir from the kernel's audit records. Needs root, Docker,
 * runc, strace, gcc and busybox-static: skipped without them, but failing under CI=true.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import { PROBE_NAMES } from "../../schemas/probes.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { hostMissing } from "./prereqs.ts";

const EXPERIMENT = join(REPO_ROOT, "datasets/experiments/busybox.yaml");
const IMAGE = "busybox-e2e";
const TESTS = ["http-get", "http-large", "http-slow-cgi", "http-missing", "files", "pipes", "processes"];

const missing = hostMissing();
if (missing.length > 0 && process.env.CI)
  throw new Error(`host e2e needs ${missing.join(", ")}; required when CI is set`);

describe.skipIf(missing.length > 0)(
  `host e2e: busybox record → validate${missing.length ? ` (skipped: missing ${missing.join(", ")})` : ""}`,
  () => {
    // everything the commands logged: the private dockerds they started (PID, state folder), cleanup failures
    let logs = "";
    const cli = async (...args: string[]) => {
      const r = await runCli(...args);
      logs += r.err;
      return r;
    };
    let dir = "";
    let dataset = "";
    let profile = "";

    beforeAll(async () => {
      dir = mkdtempSync("/var/tmp/sandmine-e2e-test.");
      dataset = join(dir, "ds");
      profile = join(dir, "safe.json");
      const rec = await cli("record", EXPERIMENT, "--out", dataset);
      expect(rec.code, rec.err).toBe(0);
      const syn = await cli("synthesize", dataset, "--image", IMAGE, "--out", profile, "--args", "safe");
      expect(syn.code, syn.err).toBe(0);
    }, 600_000);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("records every test with its time window as a run label", () => {
      const m = JSON.parse(readFileSync(join(dataset, "manifest.json"), "utf8")) as {
        inputs: { image: string; run: string; labels: Record<string, string> }[];
      };
      const runs = m.inputs.filter((i) => i.image === IMAGE);
      expect(runs.map((r) => r.run)).toEqual(["run-01", "run-02"]);
      for (const r of runs) {
        for (const t of TESTS) expect(r.labels[`test:${t}`]).toMatch(/^\d+-\d+$/);
        expect(r.labels["use_case:sync"]).toBeUndefined(); // use cases are not recorded
      }
    });

    it("check finds no denied workload event in the recording", async () => {
      const r = await cli("check", profile, dataset, "--image", IMAGE, "--json");
      expect(r.code, r.err + r.out).toBe(0);
    });

    it("validates: tests pass under enforcement, complain logs only the unrecorded use case, probes blocked", async () => {
      const report = join(dir, "report.json");
      const r = await cli(
        "validate",
        EXPERIMENT,
        "--dataset",
        dataset,
        "--profile",
        profile,
        "--only",
        "enforce,complain,probes",
        "--report",
        report,
      );
      expect(r.code, r.err + r.out).toBe(0);
      const rep = JSON.parse(readFileSync(report, "utf8")) as ValidationReport;
      const p = rep.profiles[0]!;
      expect(p.enforce!.rows.map((x) => [x.name, x.enforced.passed])).toEqual(
        [...TESTS, "sync"].map((n) => [n, true]),
      );
      expect(p.enforce!.regressions).toBe(0);
      const logged = p.complain!.summary;
      for (const s of logged)
        for (const t of s.attributedTo) expect(TESTS, `${s.syscall} logged in ${t}`).not.toContain(t);
      expect(logged.find((s) => s.syscall === "sync")?.attributedTo).toEqual(["sync"]);
      expect(p.probes!.map((x) => x.name)).toEqual([...PROBE_NAMES]);
      for (const x of p.probes!)
        expect(x.blocked, `${x.name}: ${JSON.stringify(x.mined)} vs ${JSON.stringify(x.expected)}`).toBe(
          true,
        );
      expect(rep.host.libseccomp).toMatch(/^\d+\.\d+/);
      expect(r.out).toMatch(/probes: 18\/18 blocked/);
    }, 600_000);

    it("the runc backend (bundles, no daemon) passes the tests and blocks every probe too", async () => {
      const report = join(dir, "runc-report.json");
      const r = await cli(
        "validate",
        EXPERIMENT,
        "--backend",
        "runc",
        "--profile",
        profile,
        "--only",
        "enforce,probes",
        "--report",
        report,
      );
      expect(r.code, r.err + r.out).toBe(0);
      const rep = JSON.parse(readFileSync(report, "utf8")) as ValidationReport;
      expect(rep.backend).toBe("runc");
      const p = rep.profiles[0]!;
      expect(p.enforce!.rows.every((x) => x.enforced.passed)).toBe(true);
      for (const x of p.probes!) expect(x.blocked, x.name).toBe(true);
    }, 600_000);

    it("a profile without mkdir fails validation and the audit records name mkdir", async () => {
      const prof = JSON.parse(readFileSync(profile, "utf8")) as DockerProfile;
      let removed = 0;
      for (const rule of prof.syscalls) {
        const before = rule.names.length;
        rule.names = rule.names.filter((n) => n !== "mkdir" && n !== "mkdirat");
        removed += before - rule.names.length;
      }
      expect(removed).toBeGreaterThan(0);
      prof.syscalls = prof.syscalls.filter((r) => r.names.length > 0);
      const broken = join(dir, "broken.json");
      writeFileSync(broken, JSON.stringify(prof));
      const report = join(dir, "broken-report.json");
      const r = await cli(
        "validate",
        EXPERIMENT,
        "--profile",
        broken,
        "--only",
        "enforce,complain",
        "--report",
        report,
      );
      expect(r.code, r.err + r.out).toBe(1);
      const p = (JSON.parse(readFileSync(report, "utf8")) as ValidationReport).profiles[0]!;
      expect(p.enforce!.rows.filter((x) => x.regression).map((x) => x.name)).toEqual(["files"]);
      expect(p.complain!.summary.find((s) => s.syscall === "mkdir")?.attributedTo).toContain("files");
      expect(r.out).toMatch(/FAIL test files: .*complain run logged: .*mkdir/);
    }, 600_000);

    it("stops every dockerd it started and removes its state and everything else it made", () => {
      const started = [...logs.matchAll(/starting dockerd \(pid (\d+), (?:[\w-]+, )?state in (\S+)\)/g)];
      expect(started.length).toBeGreaterThanOrEqual(1); // record always starts one; validate only when no engine answers
      for (const [, pid, state] of started) {
        expect(existsSync(state!), state).toBe(false);
        expect(alive(Number(pid)), `dockerd ${pid}`).toBe(false);
      }
      expect(logs).not.toMatch(/cleanup: .* failed/);
    });
  },
);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
