/**
 * The at-a-glance summary's data (stages/report/risk.ts) without a browser: a profile report that
 * has no comparison with Docker's default gets one computed from the built-in table (the same
 * figures synthesize writes), dangerous syscalls are listed once per image with every profile
 * that allows them, and a validation report's probes and false alarms land on its experiment.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProfileReport, SyscallEntry } from "../../schemas/profile-report.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import type { ReportData } from "../../stages/report/model.ts";
import { riskSummary } from "../../stages/report/risk.ts";
import { REPO_ROOT } from "../util/datasets.ts";

const allow = (name: string, verdict: SyscallEntry["verdict"] = "allow"): SyscallEntry => ({ name, verdict });

function report(
  image: string,
  syscalls: SyscallEntry[],
  defaults: ProfileReport["defaults"] = [],
): ProfileReport {
  return {
    sandmine_report: 1,
    image,
    arch: "x86_64",
    args: "safe",
    with_runtime: true,
    dataset: "ds",
    runs: ["run-01"],
    events: 1,
    governed_events: 1,
    allowed: syscalls.filter((s) => s.verdict !== "enosys").length,
    conditional: 0,
    enosys: [],
    syscalls,
    dropped: [],
    rules: { profile_rules: 1, type_rules: 1, type_arg_rules: 1 },
    paths: [],
    lints: [],
    defaults,
    filter_size: { estimate: 10 },
  };
}

const data = (profiles: ReportData["profiles"], validations: ReportData["validations"] = []): ReportData => ({
  version: 1,
  dataset: "ds",
  tool: { name: "sandmine", version: "0" },
  schema_version: 1,
  captures: 0,
  runs: [],
  rejects: [],
  images: [],
  thresholds: { maxPNew: 0.05, minRuns: 5 },
  profiles,
  validations,
});

describe("the risk summary", () => {
  it("computes the comparison with Docker's built-in default when the report has none", () => {
    const [r] = riskSummary(
      data([
        {
          file: "p/web.report.json",
          report: report("web", [allow("read"), allow("write"), allow("ptrace"), allow("kexec_load")]),
        },
      ]),
    );
    const p = r!.profiles[0]!;
    expect(p).toMatchObject({ name: "web", computed: true, allowed: 4, allowed_default: 301 });
    expect(p.removed).toBe(301 - 3); // read, write and ptrace are in Docker's default
    expect(p.added).toEqual(["kexec_load"]);
  });

  it("names each dangerous syscall once per image, with the profiles that allow it", () => {
    const [r] = riskSummary(
      data([
        { file: "a.report.json", report: report("web", [allow("ptrace"), allow("splice")]) },
        { file: "b.report.json", report: report("web", [allow("ptrace", "allow-conditional")]) },
      ]),
    );
    expect(r!.dangers.map((d) => d.name)).toEqual(["ptrace", "splice"]);
    expect(r!.dangers[0]!.allowed_by).toEqual([
      { profile: "a", how: "allowed" },
      { profile: "b", how: "for some arguments" },
    ]);
    expect(r!.dangers[0]!.cves[0]!.id).toBe("CVE-2019-13272");
    expect(r!.probes).toBeNull();
  });

  it("a validation report's probes and false alarms go to its experiment", () => {
    const file = join(REPO_ROOT, "test", "report", "fixtures", "validation-busybox-e2e.json");
    const v = JSON.parse(readFileSync(file, "utf8")) as ValidationReport;
    const [r] = riskSummary(data([], [{ file, report: v }]));
    expect(r!.image).toBe("busybox-e2e");
    expect(r!.probes).toEqual([{ profile: "safe", blocked: 18, total: 18, not_blocked: [] }]);
    expect(r!.false_alarms!.map((a) => a.what)).toEqual([
      "complain mode: poll denied 2× during http-get, startup",
      "complain mode: sync denied 1× during sync",
    ]);
    // a regression under enforcement and a failing held-out run are false alarms too
    const broken = structuredClone(v);
    broken.profiles[0]!.enforce!.rows[0]!.regression = true;
    broken.profiles[0]!.heldOut![0]!.failed = ["files"];
    const [b] = riskSummary(data([], [{ file, report: broken }]));
    expect(b!.false_alarms!.map((a) => a.what).slice(0, 2)).toEqual([
      "test http-get passes unconfined, fails under the profile",
      "profile mined without run-01: test files fails",
    ]);
  });
});
