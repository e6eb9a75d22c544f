/**
 * The pure parts of record/validate: experiment parsing with located errors, audit records,
 * attribution by time window, complain profiles, probe verdicts and overhead ratios.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROBES } from "../../schemas/probes.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { attribute, lossNote, parseAuditLine, SECCOMP_RET_LOG } from "../../stages/host/audit.ts";
import { complainProfile } from "../../stages/host/complain.ts";
import { overheadRows, throughputOf } from "../../stages/host/overhead.ts";
import { expectedVerdict } from "../../stages/host/probe-verdict.ts";
import { parseExperiment } from "../../stages/experiment/parse.ts";
import { REPO_ROOT } from "../util/datasets.ts";

const EXP = join(REPO_ROOT, "datasets/experiments");

describe("experiment files", () => {
  it("parses every bundled experiment", () => {
    for (const f of ["busybox", "nginx", "redis", "memcached"]) {
      const e = parseExperiment(readFileSync(join(EXP, `${f}.yaml`), "utf8"), `${f}.yaml`);
      expect(e.tests.length).toBeGreaterThan(3);
      expect(e.probes).toEqual(PROBES.map((p) => p.name));
      expect(e.overhead!.rounds).toBeGreaterThanOrEqual(5);
    }
  });

  const base = readFileSync(join(EXP, "busybox.yaml"), "utf8");
  const errorOf = (text: string): string => {
    try {
      parseExperiment(text, "x.yaml");
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  };

  it("names the file, line, path and reason", () => {
    const lines = base.split("\n");
    const i = lines.findIndex((l) => l.includes("status: 1"));
    expect(errorOf(base.replace("status: 1 }", "status: 300 }"))).toBe(
      `x.yaml:${i + 1}: tests[3].expect.status: must be at most 255, got 300`,
    );
    expect(errorOf(base.replace("runs: 2", "runs: 2\nrun: 3"))).toMatch(/^x\.yaml:\d+: run: unknown key/);
    expect(errorOf(base.replace("rounds: 5", "rounds: 3"))).toMatch(
      /overhead\.rounds: must be at least 5, got 3/,
    );
    expect(errorOf(base.replace("probes: all", "probes: [mount, fork-bomb]"))).toMatch(
      /probes\[1\]: expected one of unshare-userns, .* got "fork-bomb"/,
    );
    expect(errorOf(base.replace("name: files", "name: pipes"))).toMatch(/duplicate test name "pipes"/);
    expect(errorOf(base.replace("exec: [sync]", "exec: [sync]\n    host: sync"))).toMatch(
      /use_cases\[0\]: give exactly one of exec, host \(got exec, host\)/,
    );
    expect(errorOf(base + "\n  - file: [\n")).toMatch(/^x\.yaml:\d+: \(yaml\): /);
    expect(errorOf(base.replace('stdout: "^hello$"', 'stdout: "(("'))).toMatch(
      /not a valid regular expression/,
    );
  });
});

describe("kernel audit records", () => {
  const line =
    'audit: type=1326 audit(1795942634.321:17): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=10671 comm="runc:[2:INIT]" exe="/bin/busybox" sig=0 arch=c000003e syscall=83 compat=0 ip=0x46e5d8 code=0x7ffc0000';

  it("parses a seccomp record and names the syscall for its arch", () => {
    expect(parseAuditLine(line)).toEqual({
      epochMs: 1795942634321,
      serial: 17,
      pid: 10671,
      comm: "runc:[2:INIT]",
      exe: "/bin/busybox",
      arch: "x86_64",
      nr: 83,
      syscall: "mkdir",
      action: SECCOMP_RET_LOG,
    });
    expect(
      parseAuditLine(line.replace("arch=c000003e syscall=83", "arch=c00000b7 syscall=34"))?.syscall,
    ).toBe("mkdirat");
    expect(parseAuditLine(line.replace("syscall=83", "syscall=9999"))?.syscall).toBe("nr:9999");
    expect(parseAuditLine("audit: type=1400 audit(1.2:3): apparmor")).toBeNull();
  });

  it("recognises notes of lost records", () => {
    expect(lossNote("kauditd_printk_skb: 5 callbacks suppressed")).toMatch(/5 kernel log lines suppressed/);
    expect(lossNote("audit: audit_lost=3 audit_rate_limit=0 audit_backlog_limit=64")).toMatch(/audit_lost=3/);
    expect(lossNote("eth0: link up")).toBeNull();
  });

  it("attributes by time window", () => {
    const w = [
      { name: "a", startMs: 100, endMs: 200 },
      { name: "b", startMs: 300, endMs: 400 },
    ];
    expect([50, 150, 201, 250, 350, 500].map((t) => attribute(t, w))).toEqual([
      "startup",
      "a",
      "a",
      "between",
      "b",
      "shutdown",
    ]);
  });
});

const profile: DockerProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 1,
  syscalls: [
    { names: ["read", "write", "exit_group"], action: "SCMP_ACT_ALLOW" },
    { names: ["socket"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 1, op: "SCMP_CMP_EQ" }] },
    { names: ["ptrace"], action: "SCMP_ACT_ERRNO", errnoRet: 13 },
  ],
};

describe("complain profiles and probe verdicts", () => {
  it("turns the default and every deny into SCMP_ACT_LOG, keeping allow rules", () => {
    const c = complainProfile(profile);
    expect(c.defaultAction).toBe("SCMP_ACT_LOG");
    expect(c.defaultErrnoRet).toBeUndefined();
    expect(c.syscalls[2]).toEqual({ names: ["ptrace"], action: "SCMP_ACT_LOG" });
    expect(c.syscalls.slice(0, 2)).toEqual(profile.syscalls.slice(0, 2));
  });

  it("expects each probe's errno from the profile", () => {
    const by = (n: string) =>
      expectedVerdict(
        profile,
        PROBES.find((p) => p.name === n)!,
      );
    expect(by("ptrace")).toEqual({ action: "SCMP_ACT_ERRNO", errno: 13 });
    expect(by("socket-packet")).toEqual({ action: "SCMP_ACT_ERRNO", errno: 1 }); // AF_PACKET ≠ AF_UNIX
    expect(by("mount").action).toBe("SCMP_ACT_ERRNO");
    const unix = { ...profile, syscalls: [{ names: ["socket"], action: "SCMP_ACT_ALLOW" as const }] };
    expect(
      expectedVerdict(
        unix,
        PROBES.find((p) => p.name === "socket-vsock")!,
      ).action,
    ).toBe("SCMP_ACT_ALLOW");
  });
});

describe("overhead", () => {
  it("reads throughput from output or ops per second", () => {
    expect(
      throughputOf(
        { regex: "Requests per second:\\s+([\\d.,]+)" },
        "x\nRequests per second:    1,234.5 [#/sec]\n",
        1,
      ),
    ).toBe(1234.5);
    expect(throughputOf({ ops: 100 }, "", 2)).toBe(50);
    expect(throughputOf({ regex: "GET: ([\\d.]+)" }, "nothing", 1)).toBeNull();
  });

  it("gives ratios to unconfined with per-round spread", () => {
    const rows = overheadRows(["unconfined", "p"], {
      unconfined: [100, 200, 100, 100, 100],
      p: [90, 180, 95, 100, 80],
    });
    expect(rows[0]!.ratio).toBe(1);
    expect(rows[1]!).toMatchObject({
      median: 95,
      min: 80,
      max: 180,
      ratio: 0.95,
      ratioMin: 0.8,
      ratioMax: 1,
    });
  });
});
