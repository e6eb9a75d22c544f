/**
 * What changed between two profiles, per syscall name, and why (from the reports beside them):
 * a name allowed now that was not (observed where), one no longer allowed (not observed any more,
 * or mapped differently), and changed argument rules or errnos.
 */
import type { ProfileReport, SyscallEntry } from "../../schemas/profile-report.ts";
import type { ArgCmp, DockerProfile } from "../../schemas/seccomp-profile.ts";

export interface NameChange {
  name: string;
  was: string;
  now: string;
  why: string;
}

export interface ProfileDiff {
  default: { was: string; now: string } | null;
  architectures: { was: string[]; now: string[] } | null;
  added: NameChange[];
  removed: NameChange[];
  changed: NameChange[];
}

const OPS: Readonly<Record<string, string>> = {
  SCMP_CMP_NE: "!=",
  SCMP_CMP_LT: "<",
  SCMP_CMP_LE: "<=",
  SCMP_CMP_EQ: "==",
  SCMP_CMP_GE: ">=",
  SCMP_CMP_GT: ">",
};

const hex = (v: number | bigint | undefined): string => `0x${BigInt(v ?? 0).toString(16)}`;

function cmpText(a: ArgCmp): string {
  return a.op === "SCMP_CMP_MASKED_EQ"
    ? `arg${a.index} & ${hex(a.value)} == ${hex(a.valueTwo)}`
    : `arg${a.index} ${OPS[a.op]} ${hex(a.value)}`;
}

function actionText(action: string, errno: number | undefined): string {
  const a = action.replace("SCMP_ACT_", "").toLowerCase();
  return a === "errno" ? `errno ${errno ?? 1}` : a;
}

/** Each name's rules in words, in profile order ("allow", "allow if arg0 & 0x… == 0x0 | …"). */
export function rulesByName(p: DockerProfile): Map<string, string> {
  const parts = new Map<string, string[]>();
  for (const r of p.syscalls) {
    const text =
      actionText(r.action, r.errnoRet) + (r.args?.length ? ` if ${r.args.map(cmpText).join(" && ")}` : "");
    for (const n of r.names) parts.set(n, [...(parts.get(n) ?? []), text]);
  }
  return new Map([...parts].map(([n, t]) => [n, t.join(" | ")]));
}

function why(entry: SyscallEntry | undefined, report: ProfileReport | undefined): string {
  if (!report) return "no report beside the profile";
  if (!entry) return `not observed in ${report.runs.length} runs of ${report.image}`;
  if (entry.verdict === "enosys") return `ENOSYS: ${entry.notes?.join("; ") ?? "libc fallback"}`;
  const p = entry.provenance;
  const from = entry.mapped_from ? ` (as ${entry.mapped_from.join(", ")})` : "";
  if (!p) return `in the report${from}`;
  return `${p.calls} calls in ${p.runs.length}/${report.runs.length} runs by ${p.processes.join(", ") || "?"} (${p.phases.join(", ")})${from}`;
}

/** The difference from `a` to `b`. */
export function diffProfiles(
  a: DockerProfile,
  b: DockerProfile,
  ra?: ProfileReport,
  rb?: ProfileReport,
): ProfileDiff {
  const da = actionText(a.defaultAction, a.defaultErrnoRet);
  const db = actionText(b.defaultAction, b.defaultErrnoRet);
  const archA = a.architectures ?? a.archMap?.map((m) => m.architecture) ?? [];
  const archB = b.architectures ?? b.archMap?.map((m) => m.architecture) ?? [];
  const na = rulesByName(a);
  const nb = rulesByName(b);
  const ea = new Map((ra?.syscalls ?? []).map((e) => [e.name, e]));
  const eb = new Map((rb?.syscalls ?? []).map((e) => [e.name, e]));
  const out: ProfileDiff = {
    default: da === db ? null : { was: da, now: db },
    architectures: archA.join() === archB.join() ? null : { was: archA, now: archB },
    added: [],
    removed: [],
    changed: [],
  };
  for (const name of [...new Set([...na.keys(), ...nb.keys()])].sort()) {
    const was = na.get(name);
    const now = nb.get(name);
    if (was === now) continue;
    if (was === undefined)
      out.added.push({ name, was: `default (${da})`, now: now!, why: why(eb.get(name), rb) });
    else if (now === undefined)
      out.removed.push({
        name,
        was,
        now: `default (${db})`,
        why: `${why(eb.get(name), rb)}; before: ${why(ea.get(name), ra)}`,
      });
    else out.changed.push({ name, was, now, why: why(eb.get(name), rb) });
  }
  return out;
}
