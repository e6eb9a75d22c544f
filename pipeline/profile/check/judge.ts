/**
 * The verdict of the profile's filter on each group of a check (stages/seccomp/evaluate.ts): the
 * group is checked as its syscall on the profile's architecture (x86_64 calls on aarch64 through
 * their equivalents, open → openat), and the denied groups become the check's calls.
 */
import { X86_64_TO_AARCH64 } from "../../../schemas/arch-equivalents.ts";
import { syscallNumber } from "../../../schemas/consts.ts";
import { u64 } from "../../../stages/profile/facts.ts";
import type { CompiledFilter } from "../../../stages/seccomp/compile.ts";
import { evaluate, type Verdict } from "../../../stages/seccomp/evaluate.ts";
import type { TargetArch } from "../../../stages/seccomp/target.ts";
import type { Group } from "./groups.ts";
import type { DeniedCall } from "./types.ts";

/** The counts of a check's groups and its denied calls, each with the group it came from. */
export interface Judged {
  checked: number;
  notOnArch: number;
  undetermined: number;
  calls: (DeniedCall & { key: Group })[];
}

/** A group as the filter sees it: the name, number (undefined: not on the arch) and argument values. */
function asChecked(
  g: Group,
  arch: TargetArch,
): { name: string; values: (bigint | null)[]; nr: number | undefined } {
  let name = g.syscall;
  let values = g.values;
  let nr: number | undefined;
  if (g.arch === arch) nr = g.nr ?? syscallNumber(arch, name);
  else if (g.arch === "x86_64" && arch === "aarch64") {
    const eq = X86_64_TO_AARCH64[name];
    if (eq) {
      name = eq.to;
      values = eq.args.map((a) =>
        "from" in a ? (g.values[a.from] ?? null) : "value" in a ? u64(a.value) : null,
      );
    }
    nr = syscallNumber(arch, name);
  } else nr = syscallNumber(g.arch, name);
  return { name, values, nr };
}

/** Evaluates `filter` (of a profile for `arch`) on every group. */
export function judgeGroups(groups: readonly Group[], filter: CompiledFilter, arch: TargetArch): Judged {
  const out: Judged = { checked: 0, notOnArch: 0, undetermined: 0, calls: [] };
  for (const g of groups) {
    const { name, values, nr } = asChecked(g, arch);
    if (nr === undefined) {
      out.notOnArch += g.events;
      continue;
    }
    const evArch = g.arch === "x86_64" && arch === "aarch64" ? arch : g.arch;
    const v: Verdict = evaluate(filter, evArch, nr, values);
    out.checked += g.events;
    if (v.undetermined) out.undetermined += g.events;
    if (v.action === "SCMP_ACT_ALLOW" || v.action === "SCMP_ACT_LOG") continue;
    out.calls.push({
      syscall: g.syscall,
      checked_as: name,
      arch: g.arch,
      phase: g.phase,
      args: g.values.map((x) => (x === null ? null : `0x${x.toString(16)}`)),
      events: g.events,
      runs: g.runs,
      processes: g.procs,
      action: v.action,
      ...(v.errno !== undefined ? { errno: v.errno } : {}),
      key: g,
    });
  }
  return out;
}
