/**
 * The synthesize stage (pure): facts of one image → a Docker/OCI seccomp profile and its report.
 *
 * Layout of the profile, in this order: the unconditional allows of the workload (one entry), the
 * unconditional allows only runc's init needed (one entry, so the report and the comment say which
 * rules came only from the runtime), one entry per conditional rule (sorted by name, then by the
 * rule's values), and the ENOSYS entry for the libc fallbacks that were not observed. The default
 * is EPERM; no rule equals the default (seccomp.md §3.5.1).
 */
import { ENOSYS, ENOSYS_FALLBACKS, EPERM } from "../../schemas/libc-fallbacks.ts";
import { syscallNumber } from "../../schemas/consts.ts";
import type { ArgMode, ProfileReport, Provenance, SyscallEntry } from "../../schemas/profile-report.ts";
import type { DockerProfile, SyscallRule } from "../../schemas/seccomp-profile.ts";
import { planRestrictions } from "./arg-plan.ts";
import { argRules } from "./arg-rules.ts";
import { governedPhases, type Facts } from "./facts.ts";
import { pathModels } from "./paths.ts";
import { COMPAT_ARCH, translateFacts, type ProfileArch } from "./translate.ts";

export interface SynthesizeOptions {
  arch: ProfileArch;
  args: ArgMode;
  /** include what runc's init needs after loading the filter (phase `init`) */
  withRuntime: boolean;
  dataset: string;
}

export interface Synthesized {
  profile: DockerProfile;
  report: ProfileReport;
}

const SCMP_ARCH: Readonly<Record<string, string>> = {
  x86_64: "SCMP_ARCH_X86_64",
  i386: "SCMP_ARCH_X86",
  aarch64: "SCMP_ARCH_AARCH64",
  arm: "SCMP_ARCH_ARM",
};

const byName = <T extends { name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** Provenance of each governed syscall. */
function provenance(facts: Facts, phases: readonly string[]): Map<string, Provenance> {
  const acc = new Map<
    string,
    { calls: number; runs: Set<string>; procs: Set<string>; phases: Set<string> }
  >();
  for (const u of facts.usage) {
    if (!phases.includes(u.phase)) continue;
    const a = acc.get(u.syscall) ?? { calls: 0, runs: new Set(), procs: new Set(), phases: new Set() };
    a.calls += u.calls;
    a.runs.add(u.run);
    if (u.comm) a.procs.add(u.comm);
    a.phases.add(u.phase);
    acc.set(u.syscall, a);
  }
  const out = new Map<string, Provenance>();
  for (const [name, a] of acc) {
    const ph = [...a.phases].sort();
    out.set(name, {
      calls: a.calls,
      runs: [...a.runs].sort(),
      processes: [...a.procs].sort(),
      phases: ph,
      runtime_only: ph.length === 1 && ph[0] === "init",
    });
  }
  return out;
}

function comment(name: string, p: Provenance, runs: number, what: string): string {
  const procs = p.processes.length > 4 ? `${p.processes.slice(0, 4).join(", ")}, …` : p.processes.join(", ");
  return `${name}: ${p.calls} calls in ${p.runs.length}/${runs} runs (${procs || "unknown process"}; ${p.phases.join(", ")}); ${what}`;
}

/** Synthesizes the profile of `facts.image` for one architecture and argument mode. */
export function synthesize(recorded: Facts, opts: SynthesizeOptions): Synthesized {
  const { facts, mapped, dropped } = translateFacts(recorded, opts.arch);
  const phases = governedPhases(opts.withRuntime);
  const prov = provenance(facts, phases);
  const names = [...prov.keys()].sort();
  const byCalls = names.map((syscall) => ({ syscall, calls: prov.get(syscall)!.calls }));
  const plan = planRestrictions(opts.args, byCalls);

  const entries: SyscallEntry[] = [];
  const conditional: SyscallRule[] = [];
  const workload: string[] = [];
  const runtimeOnly: string[] = [];
  for (const name of names) {
    const p = prov.get(name)!;
    const entry: SyscallEntry = { name, verdict: "allow", provenance: p };
    const from = mapped.get(name);
    if (from) entry.mapped_from = from;
    const restrictions = plan.get(name);
    if (restrictions) {
      const rows = facts.args.filter((r) => r.syscall === name && phases.includes(r.phase));
      const r = argRules(name, restrictions, rows);
      if (r.notes.length) entry.notes = r.notes;
      if (r.rules.length) {
        entry.verdict = "allow-conditional";
        entry.conditions = r.conditions;
        for (const args of r.rules) {
          conditional.push({
            names: [name],
            action: "SCMP_ACT_ALLOW",
            args,
            comment: comment(name, p, facts.runs.length, r.conditions.join("; ")),
          });
        }
      }
    }
    if (entry.verdict === "allow") (p.runtime_only ? runtimeOnly : workload).push(name);
    entries.push(entry);
  }

  const enosys = Object.keys(ENOSYS_FALLBACKS)
    .filter((n) => !prov.has(n) && syscallNumber(opts.arch, n) !== undefined)
    .sort();
  for (const n of enosys) entries.push({ name: n, verdict: "enosys", notes: [ENOSYS_FALLBACKS[n]!] });
  entries.sort(byName);

  // grouped rules carry each name's provenance compactly: calls × runs (processes)
  const each = (names: readonly string[]): string =>
    names
      .map((n) => {
        const p = prov.get(n)!;
        const procs =
          p.processes.length > 2 ? `${p.processes.slice(0, 2).join(",")},…` : p.processes.join(",");
        return `${n} ${p.calls}×${p.runs.length}r (${procs})`;
      })
      .join("; ");
  const syscalls: SyscallRule[] = [];
  if (workload.length) {
    syscalls.push({
      names: workload,
      action: "SCMP_ACT_ALLOW",
      comment: `sandmine: observed in image ${facts.image} (${facts.runs.length} runs; calls×runs): ${each(workload)}`,
    });
  }
  if (runtimeOnly.length) {
    syscalls.push({
      names: runtimeOnly,
      action: "SCMP_ACT_ALLOW",
      comment: `sandmine: needed only by the container runtime's init after it loads the filter (phase init): ${each(runtimeOnly)}`,
    });
  }
  syscalls.push(...conditional);
  if (enosys.length) {
    syscalls.push({
      names: enosys,
      action: "SCMP_ACT_ERRNO",
      errnoRet: ENOSYS,
      comment:
        "sandmine: not observed; ENOSYS so that libc falls back to the older call (EPERM would be fatal)",
    });
  }

  const compat = facts.usage.some((u) => u.arch === COMPAT_ARCH[opts.arch] && phases.includes(u.phase));
  const profile: DockerProfile = {
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: EPERM,
    architectures: compat
      ? [SCMP_ARCH[opts.arch]!, SCMP_ARCH[COMPAT_ARCH[opts.arch]]!]
      : [SCMP_ARCH[opts.arch]!],
    syscalls,
  };

  const governedEvents = facts.usage.filter((u) => phases.includes(u.phase)).reduce((n, u) => n + u.calls, 0);
  const typeArgRules = conditional.length + workload.length + runtimeOnly.length;
  const report: ProfileReport = {
    sandmine_report: 1,
    image: facts.image,
    arch: opts.arch,
    args: opts.args,
    with_runtime: opts.withRuntime,
    dataset: opts.dataset,
    runs: facts.runs,
    events: facts.events,
    governed_events: governedEvents,
    allowed: names.length,
    conditional: names.length - workload.length - runtimeOnly.length,
    enosys,
    syscalls: entries,
    dropped,
    rules: { profile_rules: syscalls.length, type_rules: names.length, type_arg_rules: typeArgRules },
    paths: pathModels(facts.paths),
    lints: [],
    defaults: [],
    filter_size: { estimate: 0 },
  };
  return { profile, report };
}
