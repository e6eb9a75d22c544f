/**
 * `sandmine validate`: for each profile of the experiment — enforce (tests and use cases with the
 * profile against the same without one), complain (the profile with SCMP_ACT_LOG, kernel audit
 * records attributed to tests), attack probes (mined profile, runtime default, unconfined),
 * held-out runs (mined without run k, replayed); then the overhead benchmark, all configurations
 * interleaved round by round. Everything runs on one engine and is removed at the end. Each part
 * is a module of pipeline/host/validate/: backend, profiles, enforce, complain, probes, held-out
 * and overhead.
 */
import { mkdirSync } from "node:fs";
import {
  VALIDATION_REPORT_VERSION,
  type ProfileResult,
  type TestOutcome,
  type ValidationReport,
} from "../../schemas/validation-report.ts";
import { allowedNames } from "../../stages/host/complain.ts";
import { withCleanup } from "./cleanup.ts";
import { ownedTempDir } from "./owned-temp.ts";
import type { LoadedExperiment } from "./experiment-file.ts";
import { startBackend } from "./validate/backend.ts";
import { complain } from "./validate/complain.ts";
import type { Ctx, Resolved, ValidateOptions } from "./validate/context.ts";
import { enforceResult, runTests } from "./validate/enforce.ts";
import { heldOut } from "./validate/held-out.ts";
import { overhead } from "./validate/overhead.ts";
import { probes, type ProbeBaseline } from "./validate/probes.ts";
import { resolveProfiles } from "./validate/profiles.ts";

export { PARTS, type Part, type ValidateOptions } from "./validate/context.ts";

/** Validates the experiment's profiles on this host; the report says what passed and what did not. */
export async function validate(le: LoadedExperiment, o: ValidateOptions): Promise<ValidationReport> {
  const started = new Date().toISOString();
  return withCleanup(o.log, async (cleanup) => {
    const work = ownedTempDir(cleanup, "validate");
    if (o.profilesOut) mkdirSync(o.profilesOut, { recursive: true });
    const wantProbes = o.parts.has("probes") && (le.exp.probes ?? []).length > 0;
    const { host, start, notes, bench } = await startBackend(le, o, cleanup, wantProbes);
    const c: Ctx = { le, o, cleanup, work, start, bench };
    const resolved = await resolveProfiles(c);
    const unconfined = o.parts.has("enforce") ? await runUnconfined(c, notes) : null;
    const baseline: ProbeBaseline = new Map();
    const profiles: ProfileResult[] = [];
    for (const p of resolved) profiles.push(await validateProfile(c, p, unconfined, wantProbes, baseline));
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

/** The tests without a profile (the enforce baseline); tests failing even so go into `notes`. */
async function runUnconfined(c: Ctx, notes: string[]): Promise<TestOutcome[]> {
  const u = await runTests(c, { kind: "unconfined" }, true);
  if (u.error) throw new Error(`the container does not start even unconfined: ${u.error}`);
  const bad = u.tests.filter((t) => !t.passed);
  if (bad.length > 0)
    notes.push(`fail without any profile: ${bad.map((t) => `${t.name} (${t.reason})`).join("; ")}`);
  return u.tests;
}

/** The parts asked for, for one profile. */
async function validateProfile(
  c: Ctx,
  p: Resolved,
  unconfined: TestOutcome[] | null,
  wantProbes: boolean,
  baseline: ProbeBaseline,
): Promise<ProfileResult> {
  const { o } = c;
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
  return res;
}
