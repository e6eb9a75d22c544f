/**
 * `sandmine validate`: for each profile of the experiment — enforce (tests and use cases with the
 * profile against the same without one), complain (the profile with SCMP_ACT_LOG, kernel audit
 * records attributed to tests), attack probes (mined profile, runtime default, unconfined),
 * held-out runs (mined without run k, replayed); then the overhead benchmark, all configurations
 * interleaved round by round. Everything runs on one engine and is removed at the end.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ProfileSpec, TestSpec } from "../../schemas/experiment.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import {
  VALIDATION_REPORT_VERSION,
  type ComplainResult,
  type EnforceResult,
  type HeldOutRow,
  type OverheadResult,
  type ProbeResult,
  type ProbeRun,
  type ProfileResult,
  type TestOutcome,
  type ValidationReport,
} from "../../schemas/validation-report.ts";
import {
  attribute,
  lossNote,
  parseAuditLine,
  SECCOMP_RET_LOG,
  type Window,
} from "../../stages/host/audit.ts";
import { allowedNames, complainProfile } from "../../stages/host/complain.ts";
import { errnoName } from "../../stages/host/errno.ts";
import { overheadRows, throughputOf } from "../../stages/host/overhead.ts";
import { expectedVerdict, isErrnoDeny } from "../../stages/host/probe-verdict.ts";
import { writeProfiles } from "../profile/synthesize.ts";
import { readProfileFile } from "../profile/load.ts";
import { dockerJson } from "../../stages/profile/render.ts";
import { withCleanup, type Cleanup } from "./cleanup.ts";
import { Docker } from "./docker.ts";
import { startEngine } from "./dockerd.ts";
import type { LoadedExperiment } from "./experiment-file.ts";
import { buildImage, rootfsFor } from "./images.ts";
import { Runc } from "./runc.ts";
import { KernelLog, withComplainLock } from "./kmsg.ts";
import { buildProbes, probeImage, probesByName, runProbes } from "./probes.ts";
import { runTest, startSession, type Confinement, type Session } from "./session.ts";
import { auditdRunning, hostInfo } from "./versions.ts";

export const PARTS = ["enforce", "complain", "probes", "overhead", "heldout"] as const;
export type Part = (typeof PARTS)[number];

export interface ValidateOptions {
  /** dataset the `synthesize` profiles (and held-out runs) are mined from. */
  dataset?: string;
  /** profile files given on the command line: replace the experiment's list. */
  profileFiles?: string[];
  parts: ReadonlySet<Part>;
  /** where synthesized profiles are written (default: a temp folder removed at the end). */
  profilesOut?: string;
  backend: "docker" | "runc";
  log: (s: string) => void;
}

interface Resolved {
  label: string;
  file: string;
  source: string;
  profile: DockerProfile;
  args: "none" | "safe" | "learned" | null;
}

interface Ctx {
  le: LoadedExperiment;
  o: ValidateOptions;
  cleanup: Cleanup;
  work: string;
  /** starts the experiment's container under `conf` (with the probes in it when asked). */
  start: (conf: Confinement, withProbes?: boolean) => Promise<Session>;
}

async function synthesizeTo(
  c: Ctx,
  args: "none" | "safe" | "learned",
  file: string,
  excludeRuns?: string[],
): Promise<DockerProfile> {
  if (!c.o.dataset)
    throw new Error(`a synthesize profile needs --dataset DATASET (recorded with sandmine record)`);
  const { synthesized } = await writeProfiles(
    {
      dataset: c.o.dataset,
      image: c.le.exp.name,
      args,
      arches: ["x86_64"],
      withRuntime: true,
      ...(excludeRuns ? { excludeRuns } : {}),
    },
    file,
    ["docker"],
  );
  return synthesized[0]!.profile;
}

async function resolveProfiles(c: Ctx): Promise<Resolved[]> {
  if (c.o.profileFiles && c.o.profileFiles.length > 0)
    return c.o.profileFiles.map((f) => ({
      label: f.replace(/^.*\//, "").replace(/\.json$/, ""),
      file: resolve(f),
      source: "file",
      profile: readProfileFile(f),
      args: null,
    }));
  const specs: ProfileSpec[] = c.le.exp.profiles ?? [];
  if (specs.length === 0)
    throw new Error("no profiles to validate: give --profile FILE or list profiles: in the experiment");
  const out: Resolved[] = [];
  for (const p of specs) {
    if (p.file) {
      const file = resolve(c.le.base, p.file);
      out.push({
        label: p.label ?? p.file.replace(/^.*\//, "").replace(/\.json$/, ""),
        file,
        source: "file",
        profile: readProfileFile(file),
        args: null,
      });
    } else {
      const args = p.synthesize!.args;
      const file = join(c.o.profilesOut ?? c.work, `${c.le.exp.name}.${args}.json`);
      const profile = await synthesizeTo(c, args, file);
      c.o.log(`synthesized ${file} (--args ${args}, ${allowedNames(profile).length} syscalls allowed)`);
      out.push({ label: p.label ?? args, file, source: `synthesize --args ${args}`, profile, args });
    }
  }
  return out;
}

/** Runs the tests (and use cases) against one container; windows are epoch-ms spans per test. */
async function runTests(
  c: Ctx,
  conf: Confinement,
  withUseCases: boolean,
  only?: ReadonlySet<string>,
): Promise<{ tests: TestOutcome[]; windows: Window[]; start: number; end: number; error: string | null }> {
  const { exp } = c.le;
  const start = Date.now();
  let s;
  try {
    s = await c.start(conf);
  } catch (e) {
    return { tests: [], windows: [], start, end: Date.now(), error: (e as Error).message };
  }
  const tests: TestOutcome[] = [];
  const windows: Window[] = [];
  try {
    const lists: [TestSpec[], "test" | "use_case"][] = [[exp.tests, "test"]];
    if (withUseCases) lists.push([exp.use_cases ?? [], "use_case"]);
    for (const [list, kind] of lists) {
      for (const t of list) {
        if (only && !only.has(t.name)) continue;
        const t0 = Date.now();
        tests.push(await runTest(s, t, kind));
        windows.push({ name: t.name, startMs: t0, endMs: Date.now() });
      }
    }
  } finally {
    await s.stop();
  }
  return { tests, windows, start, end: Date.now(), error: null };
}

function enforceResult(unconfined: TestOutcome[], r: Awaited<ReturnType<typeof runTests>>): EnforceResult {
  const rows = unconfined.map((u) => {
    const e = r.tests.find((t) => t.name === u.name) ?? {
      ...u,
      passed: false,
      reason: `not run: ${r.error ?? "container failed"}`,
      status: null,
      stdoutTail: "",
      stderrTail: "",
    };
    return { name: u.name, kind: u.kind, unconfined: u, enforced: e, regression: u.passed && !e.passed };
  });
  return {
    started: r.error === null,
    startError: r.error,
    rows,
    regressions: rows.filter((x) => x.regression).length,
  };
}

async function complain(
  c: Ctx,
  p: Resolved,
  only?: ReadonlySet<string>,
  withUseCases = true,
): Promise<ComplainResult> {
  const file = join(c.work, `${p.label}.complain.json`);
  writeFileSync(file, dockerJson(complainProfile(p.profile)));
  const { r, lines, overruns } = await withComplainLock(async () => {
    const klog = KernelLog.open();
    try {
      const r = await runTests(c, { kind: "profile", file }, withUseCases, only);
      await new Promise((res) => setTimeout(res, 300)); // printk of the last records
      return { r, lines: klog.take(), overruns: klog.overruns };
    } finally {
      klog.close();
    }
  }, c.o.log);
  const reasons: string[] = [];
  const info = await hostInfoCached();
  if (!info.actionsLogged.includes("log"))
    reasons.push("/proc/sys/kernel/seccomp/actions_logged lacks 'log': SCMP_ACT_LOG calls are not logged");
  if (auditdRunning()) reasons.push("an audit daemon is running: records go to it, not to the kernel log");
  if (overruns > 0) reasons.push(`the kernel log ring overran ${overruns} time(s) while reading`);
  const denials = [];
  for (const l of lines) {
    const note = lossNote(l);
    if (note) reasons.push(note);
    const a = parseAuditLine(l);
    if (!a || a.action !== SECCOMP_RET_LOG) continue;
    if (a.epochMs < r.start - 1000 || a.epochMs > r.end + 1000) continue;
    denials.push({
      time: new Date(a.epochMs).toISOString(),
      serial: a.serial,
      pid: a.pid,
      comm: a.comm,
      exe: a.exe,
      arch: a.arch,
      nr: a.nr,
      syscall: a.syscall,
      attributedTo: attribute(a.epochMs, r.windows),
    });
  }
  const by = new Map<string, { count: number; to: Set<string> }>();
  for (const d of denials) {
    const e = by.get(d.syscall) ?? { count: 0, to: new Set<string>() };
    e.count++;
    e.to.add(d.attributedTo);
    by.set(d.syscall, e);
  }
  const summary = [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([syscall, e]) => ({ syscall, count: e.count, attributedTo: [...e.to].sort() }));
  return {
    started: r.error === null,
    startError: r.error,
    tests: r.tests,
    denials,
    summary,
    complete: reasons.length === 0,
    incompleteReasons: [...new Set(reasons)],
  };
}

let hostCache: Awaited<ReturnType<typeof hostInfo>> | null = null;
const hostInfoCached = async () => (hostCache ??= await hostInfo(null));

async function probes(
  c: Ctx,
  p: Resolved,
  baseline: Map<string, { def: ProbeRun; unc: ProbeRun }>,
): Promise<ProbeResult[]> {
  const list = probesByName(c.le.exp.probes ?? []);
  if (baseline.size === 0) {
    const def = await runProbes(() => c.start({ kind: "default" }, true), list);
    const unc = await runProbes(() => c.start({ kind: "unconfined" }, true), list);
    for (const pr of list) baseline.set(pr.name, { def: def.get(pr.name)!, unc: unc.get(pr.name)! });
  }
  const mined = await runProbes(() => c.start({ kind: "profile", file: p.file }, true), list);
  return list.map((probe) => {
    const exp = expectedVerdict(p.profile, probe);
    const m = mined.get(probe.name)!;
    return {
      name: probe.name,
      syscall: probe.syscall,
      what: probe.what,
      expected: { action: exp.action, errno: exp.errno, errnoName: errnoName(exp.errno) },
      mined: m,
      runtimeDefault: baseline.get(probe.name)!.def,
      unconfined: baseline.get(probe.name)!.unc,
      blocked: isErrnoDeny(exp) && m.errno === exp.errno,
    };
  });
}

/** Run ids of the experiment's image in the dataset, with the tests each one ran. */
function datasetRuns(dataset: string, image: string): { run: string; tests: string[] }[] {
  const m = JSON.parse(readFileSync(join(dataset, "manifest.json"), "utf8")) as {
    inputs?: { image: string; run: string; labels?: Record<string, string> }[];
  };
  return (m.inputs ?? [])
    .filter((r) => r.image === image)
    .map((r) => ({
      run: r.run,
      tests: Object.keys(r.labels ?? {})
        .filter((k) => k.startsWith("test:"))
        .map((k) => k.slice(5)),
    }))
    .sort((a, b) => (a.run < b.run ? -1 : 1));
}

async function heldOut(c: Ctx, p: Resolved): Promise<HeldOutRow[] | null> {
  if (!p.args || !c.o.dataset) return null;
  const runs = datasetRuns(c.o.dataset, c.le.exp.name);
  if (runs.length < 2) return null;
  const rows: HeldOutRow[] = [];
  for (const r of runs) {
    const file = join(c.work, `${p.label}.without-${r.run}.json`);
    const profile = await synthesizeTo(c, p.args, file, [r.run]);
    const only = new Set(r.tests.length > 0 ? r.tests : c.le.exp.tests.map((t) => t.name));
    const held: Resolved = { ...p, label: `${p.label}.without-${r.run}`, file, profile };
    const enf = await runTests(c, { kind: "profile", file }, false, only);
    const cmp = await complain(c, held, only, false);
    rows.push({
      heldOut: r.run,
      profile: file,
      tests: only.size,
      failed: enf.error
        ? [`(container: ${enf.error})`]
        : enf.tests.filter((t) => !t.passed).map((t) => t.name),
      denials: cmp.summary.map((s) => s.syscall),
    });
    c.o.log(
      `held-out ${r.run}: ${rows.at(-1)!.failed.length} failed, ${rows.at(-1)!.denials.length} syscalls logged`,
    );
  }
  return rows;
}

async function overhead(c: Ctx, profiles: Resolved[]): Promise<OverheadResult | null> {
  const spec = c.le.exp.overhead;
  if (!spec) return null;
  const confs: [string, Confinement][] = [
    ["unconfined", { kind: "unconfined" }],
    ["docker-default", { kind: "default" }],
    ...profiles.map((p): [string, Confinement] => [p.label, { kind: "profile", file: p.file }]),
  ];
  const rounds = spec.rounds ?? 5;
  const values: Record<string, number[]> = Object.fromEntries(confs.map(([l]) => [l, []]));
  const cmd = spec.command;
  for (let i = 0; i < rounds; i++) {
    // rotate the order each round, so no configuration always runs first after a start-up
    for (let j = 0; j < confs.length; j++) {
      const [label, conf] = confs[(i + j) % confs.length]!;
      const s = await c.start(conf);
      try {
        for (let w = 0; w < (spec.warmup ?? 1); w++) await s.run(cmd);
        const r = await s.run(cmd);
        if (r.status !== 0)
          throw new Error(
            `benchmark under ${label} failed (status ${r.status ?? r.signal}): ${r.stderrTail.trim()}`,
          );
        const v = throughputOf(spec.throughput, r.stdout, r.seconds);
        if (v === null)
          throw new Error(
            `benchmark under ${label}: no throughput in its output (${spec.throughput.regex ?? "ops"})`,
          );
        values[label]!.push(v);
      } finally {
        await s.stop();
      }
    }
    c.o.log(
      `overhead round ${i + 1}/${rounds}: ${confs.map(([l]) => `${l} ${values[l]!.at(-1)!.toFixed(1)}`).join(", ")}`,
    );
  }
  return {
    command: cmd.host ?? JSON.stringify(cmd.exec),
    unit: spec.unit ?? "ops/s",
    rounds,
    rows: overheadRows(
      confs.map(([l]) => l),
      values,
    ),
  };
}

export async function validate(le: LoadedExperiment, o: ValidateOptions): Promise<ValidationReport> {
  const started = new Date().toISOString();
  return withCleanup(o.log, async (cleanup) => {
    const work = mkdtempSync("/var/tmp/sandmine-validate.");
    cleanup.add(`remove ${work}`, () => rmSync(work, { recursive: true, force: true }));
    if (o.profilesOut) mkdirSync(o.profilesOut, { recursive: true });
    const spec = le.exp.container ?? {};
    const wantProbes = o.parts.has("probes") && (le.exp.probes ?? []).length > 0;
    const notes: string[] = [];
    let host;
    let start: Ctx["start"];
    if (o.backend === "runc") {
      host = { ...(await hostInfoCached()), docker: null };
      const rootfs = await rootfsFor(le.exp.image, le.base, cleanup);
      const probesDir = wantProbes ? await buildProbes(cleanup, le.exp.probes!) : null;
      const runc = new Runc(cleanup, rootfs, readProfileFile);
      notes.push("runc backend: runc has no default profile, so 'runtime default' runs are unconfined");
      start = (conf, withProbes) =>
        runc.start(spec, conf.kind === "default" ? { kind: "unconfined" } : conf, {
          binds:
            withProbes && probesDir
              ? [{ src: join(probesDir, "sandmine-probes"), dst: "/sandmine-probes" }]
              : [],
        });
    } else {
      const engine = await startEngine(cleanup, { strace: false, log: o.log });
      const docker = new Docker(engine, cleanup);
      host = { ...(await hostInfoCached()), docker: await docker.versions() };
      const image = await buildImage(docker, cleanup, le.exp.image, le.base, o.log);
      const probeImg = wantProbes
        ? await probeImage(docker, cleanup, await buildProbes(cleanup, le.exp.probes!), image)
        : null;
      start = (conf, withProbes) =>
        startSession(docker, spec, withProbes && probeImg ? probeImg : image, conf);
    }
    const c: Ctx = { le, o, cleanup, work, start };
    const resolved = await resolveProfiles(c);
    let unconfined: TestOutcome[] | null = null;
    if (o.parts.has("enforce")) {
      const u = await runTests(c, { kind: "unconfined" }, true);
      if (u.error) throw new Error(`the container does not start even unconfined: ${u.error}`);
      unconfined = u.tests;
      const bad = u.tests.filter((t) => !t.passed);
      if (bad.length > 0)
        notes.push(`fail without any profile: ${bad.map((t) => `${t.name} (${t.reason})`).join("; ")}`);
    }
    const baseline = new Map<string, { def: ProbeRun; unc: ProbeRun }>();
    const profiles: ProfileResult[] = [];
    for (const p of resolved) {
      o.log(`profile ${p.label}: ${p.file}`);
      const res: ProfileResult = {
        label: p.label,
        file: p.file,
        source: p.source,
        syscallsAllowed: allowedNames(p.profile).length,
        enforce: null,
        complain: null,
        probes: null,
        heldOut: null,
      };
      if (unconfined) {
        res.enforce = enforceResult(unconfined, await runTests(c, { kind: "profile", file: p.file }, true));
        o.log(
          `  enforce: ${res.enforce.rows.filter((r) => r.enforced.passed).length}/${res.enforce.rows.length} pass, ${res.enforce.regressions} regression(s)`,
        );
      }
      if (o.parts.has("complain")) {
        res.complain = await complain(c, p);
        o.log(
          `  complain: ${res.complain.denials.length} audit record(s), ${res.complain.summary.length} syscall(s)`,
        );
      }
      if (wantProbes) {
        res.probes = await probes(c, p, baseline);
        o.log(`  probes: ${res.probes.filter((x) => x.blocked).length}/${res.probes.length} blocked`);
      }
      if (o.parts.has("heldout")) res.heldOut = await heldOut(c, p);
      profiles.push(res);
    }
    const ov = o.parts.has("overhead") ? await overhead(c, resolved) : null;
    const failed = profiles.some((p) => (p.enforce?.regressions ?? 0) > 0);
    return {
      version: VALIDATION_REPORT_VERSION,
      experiment: le.exp.name,
      experimentFile: le.file,
      image: le.exp.image.name,
      backend: o.backend,
      started,
      finished: new Date().toISOString(),
      host,
      profiles,
      overhead: ov,
      failed,
      notes,
    } satisfies ValidationReport;
  });
}
