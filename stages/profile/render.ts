/**
 * Profile files, byte-for-byte deterministic: Docker/moby JSON, the OCI runtime-spec
 * `linux.seccomp` fragment, and the Security Profiles Operator `SeccompProfile` (YAML; k8s.ts). 64-bit
 * values are written as bare JSON integers (runtimes parse them as uint64), never as strings or
 * rounded doubles.
 */
import { stringify } from "yaml";
import type { ArgCmp, DockerProfile, SyscallRule } from "../../schemas/seccomp-profile.ts";
import { kubernetesProfile, spoSpec, type K8sOptions } from "./k8s.ts";

export { k8sName } from "./k8s.ts";

export const PROFILE_FORMATS = ["docker", "oci", "k8s"] as const;
export type ProfileFormat = (typeof PROFILE_FORMATS)[number];

/** Placeholder-free JSON with exact 64-bit integers: bigints are spliced in as digits. */
function jsonExact(value: unknown): string {
  const big: string[] = [];
  const text = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v !== "bigint") return v;
      big.push(v.toString());
      return `\u0000big${big.length - 1}\u0000`;
    },
    2,
  );
  return text.replace(/"\\u0000big(\d+)\\u0000"/g, (_m, i: string) => big[Number(i)]!) + "\n";
}

function arg(a: ArgCmp): ArgCmp {
  return { index: a.index, value: a.value, valueTwo: a.valueTwo ?? 0n, op: a.op };
}

function rule(r: SyscallRule, withComment: boolean): SyscallRule {
  const out: SyscallRule = { names: r.names, action: r.action };
  if (r.errnoRet !== undefined) out.errnoRet = r.errnoRet;
  if (r.args?.length) out.args = r.args.map(arg);
  if (withComment && r.comment !== undefined) out.comment = r.comment;
  if (r.includes) out.includes = r.includes;
  if (r.excludes) out.excludes = r.excludes;
  return out;
}

function core(p: DockerProfile, withComments: boolean): DockerProfile {
  // keys in the order runtimes' own files use; `syscalls` last
  return {
    defaultAction: p.defaultAction,
    ...(p.defaultErrnoRet !== undefined ? { defaultErrnoRet: p.defaultErrnoRet } : {}),
    ...(p.architectures ? { architectures: p.architectures } : {}),
    ...(p.archMap ? { archMap: p.archMap } : {}),
    ...(p.flags ? { flags: p.flags } : {}),
    syscalls: p.syscalls.map((r) => rule(r, withComments)),
  };
}

/** Docker/moby profile JSON (`docker run --security-opt seccomp=FILE`, runc `linux.seccomp`). */
export function dockerJson(p: DockerProfile): string {
  return jsonExact(core(p, true));
}

/** The OCI `linux.seccomp` fragment, to merge into a bundle's config.json. */
export function ociJson(p: DockerProfile): string {
  return jsonExact({ linux: { seccomp: core(p, false) } });
}

/**
 * The SPO `SeccompProfile` custom resource (stages/profile/k8s.ts: what the CRD holds; values are
 * int64, written exactly). No defaultErrnoRet: the runtime's EPERM stands in for it.
 */
export function k8sYaml(p: DockerProfile, o: K8sOptions): string {
  const k = kubernetesProfile(p, o);
  const doc = {
    apiVersion: k.api_version,
    kind: k.kind,
    metadata: {
      name: k.name,
      ...(k.namespace !== null ? { namespace: k.namespace } : {}),
      annotations: { description: o.description },
    },
    spec: spoSpec(p),
  };
  return stringify(doc, { lineWidth: 0 });
}
