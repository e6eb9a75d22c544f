/**
 * The Kubernetes Security Profiles Operator (SPO) `SeccompProfile`: the object sandmine writes
 * (what the CRD in ../shared/datasets/profiles/spo-seccompprofile-crd.yaml accepts under strict
 * field validation: `v1`, the storage version, or `v1beta1`), and how a pod uses it once SPO has
 * installed it on the nodes.
 *
 * The CRD's `spec` has no `defaultErrnoRet`: SPO writes the node's profile file without one, and
 * the runtime (runc, crun) then answers the default `SCMP_ACT_ERRNO` with EPERM (1). It has no
 * `archMap`, `comment`, `includes` or `excludes` either. `errnoRet` is an int32 in both versions
 * (older SPO releases typed it as a string; parse.ts reads both).
 *
 * The CRD is cluster-scoped (`scope: Cluster`): the API server clears a `metadata.namespace`, and
 * SPO installs the profile as `operator/NAME.json` under the kubelet's seccomp root
 * (`GetProfilePath` joins the root, the object's namespace — empty — and NAME.json). SPO releases
 * whose SeccompProfile was namespaced installed it as `operator/NAMESPACE/NAME.json`.
 */
import { EPERM } from "../../schemas/libc-fallbacks.ts";
import type { KubernetesProfile } from "../../schemas/profile-report.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";

/** The API group of the SPO custom resources. */
export const SPO_GROUP = "security-profiles-operator.x-k8s.io";

/** The versions of `SeccompProfile` the bundled CRD serves; `v1` is the storage version. */
export const K8S_VERSIONS = ["v1", "v1beta1"] as const;
export type K8sVersion = (typeof K8S_VERSIONS)[number];

/** The scope of the bundled CRD (`spec.scope`); the test checks the CRD still says so. */
export const SPO_SCOPE = "Cluster";

/** Where SPO puts installed profiles, relative to the kubelet's seccomp root (/var/lib/kubelet/seccomp). */
export const SPO_PROFILE_ROOT = "operator";

/** Options of the SeccompProfile object. */
export interface K8sOptions {
  /** metadata.name (made Kubernetes-safe by k8sName) */
  name: string;
  /** the `description` annotation */
  description: string;
  /** default v1 */
  version?: K8sVersion;
  /** metadata.namespace: a DNS-1123 label (for SPO releases with a namespaced SeccompProfile) */
  namespace?: string;
}

/** A Kubernetes-safe object name (DNS-1123 subdomain) from an image name. */
export function k8sName(image: string): string {
  const n = image
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  return (n || "profile").slice(0, 253).replace(/[^a-z0-9]+$/, "");
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a namespace name (a DNS-1123 label); returns the problem, or null. */
export function namespaceProblem(ns: string): string | null {
  if (ns.length > 63) return `namespace ${ns}: longer than 63 characters`;
  if (!DNS_LABEL.test(ns))
    return `namespace ${ns}: not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`;
  return null;
}

/** The errno the default action returns under SPO, which cannot carry `defaultErrnoRet`. */
export function spoDefaultErrno(p: DockerProfile): KubernetesProfile["default_errno"] {
  const docker = p.defaultErrnoRet ?? EPERM;
  const takesErrno = p.defaultAction === "SCMP_ACT_ERRNO" || p.defaultAction === "SCMP_ACT_TRACE";
  if (!takesErrno)
    return {
      errno: null,
      same_as_docker: true,
      note: `the default action ${p.defaultAction} returns no errno`,
    };
  return {
    errno: EPERM,
    same_as_docker: docker === EPERM,
    note:
      `the SPO spec has no defaultErrnoRet: the runtime answers the default ${p.defaultAction} with EPERM (1)` +
      (docker === EPERM
        ? ", as the Docker/OCI profile's defaultErrnoRet 1 does"
        : `, not the Docker/OCI profile's defaultErrnoRet ${docker}`),
  };
}

/** The profile's `spec` as the CRD types it (no defaultErrnoRet, archMap, comments or filters). */
export function spoSpec(p: DockerProfile): Record<string, unknown> {
  const architectures =
    p.architectures ?? p.archMap?.flatMap((m) => [m.architecture, ...m.subArchitectures]) ?? undefined;
  return {
    defaultAction: p.defaultAction,
    ...(architectures ? { architectures } : {}),
    ...(p.flags ? { flags: p.flags } : {}),
    syscalls: p.syscalls.map((r, i) => {
      if (r.includes || r.excludes)
        throw new Error(
          `internal: rule ${i} has Docker includes/excludes, which a SeccompProfile cannot hold`,
        );
      return {
        names: r.names,
        action: r.action,
        ...(r.errnoRet !== undefined ? { errnoRet: r.errnoRet } : {}),
        ...(r.args?.length
          ? {
              args: r.args.map((a) => ({
                index: a.index,
                value: a.value,
                valueTwo: a.valueTwo ?? 0n,
                op: a.op,
              })),
            }
          : {}),
      };
    }),
  };
}

/** What the object is and how a pod uses it (the report's `kubernetes` field). */
export function kubernetesProfile(p: DockerProfile, o: K8sOptions): KubernetesProfile {
  const version = o.version ?? "v1";
  const name = k8sName(o.name);
  if (o.namespace !== undefined) {
    const problem = namespaceProblem(o.namespace);
    if (problem) throw new RangeError(problem);
  }
  const localhost = `${SPO_PROFILE_ROOT}/${name}.json`;
  const namespaced = o.namespace === undefined ? null : `${SPO_PROFILE_ROOT}/${o.namespace}/${name}.json`;
  const notes = [
    `SeccompProfile is cluster-scoped (CRD scope ${SPO_SCOPE}): SPO installs it as /var/lib/kubelet/seccomp/${localhost}`,
  ];
  if (namespaced)
    notes.push(
      `metadata.namespace ${o.namespace} is written, but an API server serving this CRD clears it; ` +
        `SPO releases with a namespaced SeccompProfile install it as ${namespaced} instead`,
    );
  return {
    api_version: `${SPO_GROUP}/${version}`,
    kind: "SeccompProfile",
    name,
    namespace: o.namespace ?? null,
    scope: SPO_SCOPE,
    localhost_profile: localhost,
    localhost_profile_namespaced: namespaced,
    security_context: { seccompProfile: { type: "Localhost", localhostProfile: localhost } },
    default_errno: spoDefaultErrno(p),
    notes,
  };
}

/** The pod (or container) `securityContext` that uses the profile, as YAML lines. */
export function podSnippet(k: KubernetesProfile): string[] {
  return [
    "securityContext:",
    "  seccompProfile:",
    "    type: Localhost",
    `    localhostProfile: ${k.security_context.seccompProfile.localhostProfile}`,
  ];
}

/** The summary lines of a written SeccompProfile (what `synthesize` prints for it). */
export function kubernetesLines(k: KubernetesProfile): string[] {
  return [
    `SeccompProfile ${k.name} (${k.api_version}, cluster-scoped` +
      (k.namespace ? `; metadata.namespace ${k.namespace}` : "") +
      `): no defaultErrnoRet in the CRD, ` +
      (k.default_errno.errno === null
        ? k.default_errno.note
        : `the default action answers EPERM (1)${k.default_errno.same_as_docker ? ", as in the Docker/OCI profile" : ` (the Docker/OCI profile: ${k.default_errno.note.replace(/^.*not the Docker\/OCI profile's /, "")})`}`),
    `pod or container securityContext: seccompProfile: {type: Localhost, localhostProfile: ${k.localhost_profile}}`,
    ...k.notes.slice(1),
  ];
}
