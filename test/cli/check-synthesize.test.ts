/**
 * The output of check and synthesize on a real capture (one bundled memcached run): check prints
 * a summary and the first denied events of each syscall (3, --limit N, every one with --all, the
 * same in --json); synthesize --json is one object with the files, counts and lints; the k8s
 * options reach the SeccompProfile written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";

let tmp: string;
let ds: string;
/** a profile allowing only what a process needs to start and exit: most of memcached is denied */
let tiny: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-cli-output-"));
  ds = join(tmp, "ds");
  const run = join(REPO_ROOT, "datasets", "captures", "memcached", "run-04");
  const r = await runCli("ingest", run, "--image", "memcached", "--out", ds, "-q", "--workers", "1");
  expect(r.code, r.err).toBe(0);
  tiny = join(tmp, "tiny.json");
  writeFileSync(
    tiny,
    JSON.stringify({
      defaultAction: "SCMP_ACT_ERRNO",
      architectures: ["SCMP_ARCH_X86_64"],
      syscalls: [
        { names: ["read", "write", "exit_group", "execve", "brk", "mmap"], action: "SCMP_ACT_ALLOW" },
      ],
    }),
  );
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface CheckJson {
  denied: number;
  calls: { syscall: string; events: number }[];
  denied_events: { syscall: string }[];
  denied_events_per_syscall: number | null;
}

const perSyscall = (events: readonly { syscall: string }[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const e of events) m.set(e.syscall, (m.get(e.syscall) ?? 0) + 1);
  return m;
};

describe("check output", () => {
  it("a summary, then each denied syscall with its first 3 events", async () => {
    const r = await runCli("check", tiny, ds);
    expect(r.code, r.err).toBe(1);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(
      /tiny\.json against image memcached \(x86_64\): \d+ events checked, \d+ denied \(\d+ in the workload\) in \d+ syscalls$/,
    );
    expect(lines[1]).toMatch(/^ {2}not checked: \d+ before the filter was loaded/);
    expect(r.out).toContain("denied, per syscall, with its first 3 events (every event: --all):");
    const json = JSON.parse((await runCli("check", tiny, ds, "--json")).out) as CheckJson;
    const syscalls = [...new Set(json.calls.map((c) => c.syscall))];
    expect(syscalls.length).toBeGreaterThan(5);
    // a header per syscall (2 spaces), its events below it (4 spaces), at most 3 each
    const section = lines.slice(
      lines.indexOf("denied, per syscall, with its first 3 events (every event: --all):") + 1,
    );
    const headers = section.slice(0, section.indexOf("")).filter((l) => /^ {2}\S/.test(l));
    expect(headers.map((l) => l.trim().split(/\s+/)[0]).sort()).toEqual([...syscalls].sort());
    const listed = lines.filter((l) => /^ {4}run-04 /.test(l));
    const counts = perSyscall(listed.map((l) => ({ syscall: /\s(\w+)\(/.exec(l.slice(4))![1]! })));
    for (const n of syscalls) {
      const events = json.calls.filter((c) => c.syscall === n).reduce((k, c) => k + c.events, 0);
      expect(counts.get(n), n).toBe(Math.min(3, events));
    }
    expect(json.denied_events_per_syscall).toBe(3);
    for (const [, n] of perSyscall(json.denied_events)) expect(n).toBeLessThanOrEqual(3);
  });

  it("--limit N lists N of each, --all every denied event (text and JSON)", async () => {
    const one = JSON.parse((await runCli("check", tiny, ds, "--json", "--limit", "1")).out) as CheckJson;
    expect([...perSyscall(one.denied_events).values()].every((n) => n === 1)).toBe(true);
    const all = JSON.parse((await runCli("check", tiny, ds, "--json", "--all")).out) as CheckJson;
    expect(all.denied_events.length).toBe(all.denied);
    expect(all.denied_events_per_syscall).toBeNull();
    const text = await runCli("check", tiny, ds, "--all");
    expect(text.out).toContain("denied, per syscall, with every event:");
    expect(text.out.split("\n").filter((l) => /^ {4}run-04 /.test(l)).length).toBe(all.denied);
  });
});

describe("synthesize output", () => {
  it("--json: one object with the files written, the counts per architecture and the lints", async () => {
    const out = join(tmp, "p", "memcached.json");
    const r = await runCli("synthesize", ds, "--out", out, "--arch", "x86_64,aarch64", "--json");
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    const j = JSON.parse(r.out) as {
      image: string;
      files: string[];
      profiles: {
        arch: string;
        allowed: number;
        rule_entries: number;
        lints: unknown[];
        defaults: unknown[];
      }[];
      errors: number;
    };
    expect(j.image).toBe("memcached");
    expect(j.files).toEqual([
      join(tmp, "p", "memcached.x86_64.json"),
      join(tmp, "p", "memcached.x86_64.report.json"),
      join(tmp, "p", "memcached.aarch64.json"),
      join(tmp, "p", "memcached.aarch64.report.json"),
    ]);
    expect(j.profiles.map((p) => p.arch)).toEqual(["x86_64", "aarch64"]);
    const report = JSON.parse(readFileSync(j.files[1]!, "utf8")) as { allowed: number; lints: unknown[] };
    expect(j.profiles[0]!.allowed).toBe(report.allowed);
    expect(j.profiles[0]!.lints).toEqual(report.lints);
    expect(j.profiles[0]!.defaults.length).toBeGreaterThan(0); // Docker's built-in default at least
    expect(j.errors).toBe(0);
  });

  it("--k8s-version and --namespace reach the SeccompProfile; its lines are printed", async () => {
    const out = join(tmp, "k", "memcached.yaml");
    const r = await runCli("synthesize", ds, "--out", out, "--k8s-version", "v1beta1", "--namespace", "sec");
    expect(r.code, r.err).toBe(0);
    const yaml = readFileSync(out, "utf8");
    expect(yaml).toMatch(/^apiVersion: security-profiles-operator\.x-k8s\.io\/v1beta1$/m);
    expect(yaml).toMatch(/^ {2}namespace: sec$/m);
    expect(r.out).toMatch(/x86_64: SeccompProfile \S+ \(security-profiles-operator\.x-k8s\.io\/v1beta1/);
    expect(r.out).toContain("localhostProfile: operator/");
    const v1 = await runCli("synthesize", ds, "--out", join(tmp, "k", "v1.yaml"));
    expect(readFileSync(join(tmp, "k", "v1.yaml"), "utf8")).toMatch(/x-k8s\.io\/v1$/m);
    expect(v1.out).not.toContain("metadata.namespace");
    const bad = await runCli("synthesize", ds, "--out", join(tmp, "k", "b.yaml"), "--namespace", "Bad_NS");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^sandmine synthesize: --namespace: namespace Bad_NS: not a DNS-1123 label/);
    const version = await runCli("synthesize", ds, "--out", join(tmp, "k", "c.yaml"), "--k8s-version", "v2");
    expect(version.err).toBe(
      "sandmine synthesize: --k8s-version must be one of v1, v1beta1 (got v2; did you mean v1?)\n",
    );
  });
});
