/**
 * A Docker/moby profile as the OCI runtime-spec `linux.seccomp` that Docker hands to runc on the
 * target host: `includes`/`excludes` applied, `archMap` reduced to the native entry's
 * `architectures`, no comments. Argument values stay exact (bigint above 2^53).
 */
import type { OciSeccomp } from "../../schemas/seccomp-profile.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { expandProfile } from "./expand.ts";
import type { Target } from "./target.ts";

export function toOci(p: DockerProfile, t: Target): OciSeccomp {
  const { architectures, rules } = expandProfile(p, t);
  const out: OciSeccomp = { defaultAction: p.defaultAction, syscalls: [] };
  if (p.defaultErrnoRet !== undefined) out.defaultErrnoRet = p.defaultErrnoRet;
  if (architectures.length > 0) out.architectures = architectures;
  if (p.flags && p.flags.length > 0) out.flags = [...p.flags];
  for (const { rule, names } of rules) {
    const r: OciSeccomp["syscalls"][number] = { names: [...names], action: rule.action };
    if (rule.errnoRet !== undefined) r.errnoRet = rule.errnoRet;
    if (rule.args && rule.args.length > 0)
      r.args = rule.args.map((a) => ({
        index: a.index,
        value: a.value,
        valueTwo: a.valueTwo ?? 0,
        op: a.op,
      }));
    out.syscalls.push(r);
  }
  return out;
}
