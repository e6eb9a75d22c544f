/**
 * Attack probes: each probe's call under the mined profile, beside Docker's runtime default and
 * unconfined (run once per validation, for the first profile); a probe is blocked when the profile
 * denies it with the errno its rules give.
 */
import type { ProbeResult, ProbeRun } from "../../../schemas/validation-report.ts";
import { errnoName } from "../../../stages/host/errno.ts";
import { expectedVerdict, isErrnoDeny } from "../../../stages/host/probe-verdict.ts";
import { probesByName, runProbes } from "../probes.ts";
import type { Ctx, Resolved } from "./context.ts";
import { startRetrying } from "./start-retry.ts";

/** Runs of each probe without the mined profile, by probe name. */
export type ProbeBaseline = Map<string, { def: ProbeRun; unc: ProbeRun }>;

/** Runs the experiment's probes under `p` (and fills `baseline` when it is empty). */
export async function probes(c: Ctx, p: Resolved, baseline: ProbeBaseline): Promise<ProbeResult[]> {
  const list = probesByName(c.le.exp.probes ?? []);
  if (baseline.size === 0) {
    const def = await runProbes(
      () => startRetrying(c, { kind: "default" }, true, "probes under the runtime default"),
      list,
    );
    const unc = await runProbes(
      () => startRetrying(c, { kind: "unconfined" }, true, "probes unconfined"),
      list,
    );
    for (const pr of list) baseline.set(pr.name, { def: def.get(pr.name)!, unc: unc.get(pr.name)! });
  }
  const mined = await runProbes(
    () => startRetrying(c, { kind: "profile", file: p.file }, true, `probes under ${p.label}`),
    list,
  );
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
