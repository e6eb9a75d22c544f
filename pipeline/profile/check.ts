/**
 * `check`: replays every recorded event of an image through a profile's semantics
 * (stages/seccomp/evaluate.ts) and lists the events it would deny. Events are grouped by DuckDB on
 * what the verdict can depend on (arch, syscall, phase and only the argument positions some rule of
 * the profile compares), so each distinct call is evaluated once; the denied groups are then
 * joined back to list their events. The steps are in pipeline/profile/check/: scope (the SQL of
 * the events read), groups, judge (the verdicts) and events (the denied events).
 */
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { eventsSource } from "../../stages/characterize/index.ts";
import { compileProfile } from "../../stages/seccomp/compile.ts";
import { scmpArchOfToken, type Target, type TargetArch } from "../../stages/seccomp/target.ts";
import type { Db } from "../duckdb.ts";
import { deniedEvents } from "./check/events.ts";
import { groupEvents, num } from "./check/groups.ts";
import { judgeGroups } from "./check/judge.ts";
import { checkScope, keepTable } from "./check/scope.ts";
import type { CheckOptions, CheckResult } from "./check/types.ts";

export type { CheckOptions, CheckResult, DeniedCall, DeniedEvent } from "./check/types.ts";

const ARCH_OF_SCMP: Readonly<Record<string, TargetArch>> = {
  x86_64: "x86_64",
  aarch64: "aarch64",
  x86: "i386",
};

/** The architecture a profile is checked on: its first listed one (x86_64 when none is listed). */
export function profileArch(p: DockerProfile): TargetArch {
  const first = p.architectures?.[0] ?? p.archMap?.[0]?.architecture;
  const scmp = first === undefined ? "x86_64" : scmpArchOfToken(first);
  return (scmp && ARCH_OF_SCMP[scmp]) ?? "x86_64";
}

/** Checks the events of `opts.image` against `profile`. */
export async function checkProfile(
  db: Db,
  dataset: string,
  profile: DockerProfile,
  opts: CheckOptions,
): Promise<CheckResult> {
  const arch = profileArch(profile);
  const target: Target = { arch, ...(opts.caps ? { caps: opts.caps } : {}) };
  const filter = compileProfile(profile, target);
  const scope = checkScope(eventsSource(dataset), opts);
  const [totals] = await db.query<{ events: bigint; governed: bigint }>(
    `SELECT count(*) AS events, count(*) FILTER (WHERE ${scope.phaseIn}) AS governed FROM ${scope.src} WHERE ${scope.whereOf("")}`,
  );
  const keep = await keepTable(db, scope, profile, arch);
  const judged = judgeGroups(await groupEvents(db, scope, keep), filter, arch);
  const { calls } = judged;
  const listed = await deniedEvents(
    db,
    scope,
    keep,
    calls.map((c) => c.key),
    opts.limit,
    opts.perSyscall,
  );
  return {
    image: opts.image,
    arch,
    events: num(totals?.events ?? 0),
    checked: judged.checked,
    not_governed: num(totals?.events ?? 0) - num(totals?.governed ?? 0),
    not_on_arch: judged.notOnArch,
    undetermined: judged.undetermined,
    denied: calls.reduce((n, c) => n + c.events, 0),
    denied_workload: calls.filter((c) => c.phase !== "init").reduce((n, c) => n + c.events, 0),
    calls: calls
      .map(({ key: _k, ...c }) => c)
      .sort((a, b) => b.events - a.events || (a.syscall < b.syscall ? -1 : a.syscall > b.syscall ? 1 : 0)),
    denied_events: listed,
  };
}
