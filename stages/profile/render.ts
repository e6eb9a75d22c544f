/**
 * Profile files, byte-for-byte deterministic: Docker/moby JSON, the OCI runtime-spec
 * `linux.seccomp` fragment, and the Security Profiles Operator `SeccompProfile` (YAML). 64-bit
 * values are written as bare JSON integers (runtimes parse them as uint64), never as strings or
 * rounded doubles.
 */
import { stringify } from "yaml";
import type { ArgCmp, DockerProfile, SyscallRule } from "../../schemas/seccomp-profile.ts";

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

/** A Kubernetes-safe object name from an image name. */
export function k8sName(image: string): string {
  const n = image
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  return (n || "profile").slice(0, 253);
}

/** The SPO `SeccompProfile` custom resource (its CRD has no comment field; values are int64). */
export function k8sYaml(p: DockerProfile, name: string, description: string): string {
  const spec = core(p, false);
  const doc = {
    apiVersion: "security-profiles-operator.x-k8s.io/v1beta1",
    kind: "SeccompProfile",
    metadata: { name: k8sName(name), annotations: { description } },
    spec,
  };
  return stringify(doc, { lineWidth: 0 });
}
