/**
 * SeccompProfile objects against the SPO CRD's openAPIV3Schema (test/profile/spo-crd.ts: ajv with
 * the structural-schema rules of an API server under strict field validation): what k8sYaml
 * writes applies in both served versions, with and without a namespace, and the validator refuses
 * what the server refuses — defaultErrnoRet (the bug this fixes), unknown fields anywhere, string
 * errnoRet, negative or oversized values, unserved versions, duplicate set items.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import {
  K8S_VERSIONS,
  SPO_GROUP,
  SPO_SCOPE,
  kubernetesLines,
  kubernetesProfile,
  podSnippet,
} from "../../stages/profile/k8s.ts";
import { k8sYaml } from "../../stages/profile/render.ts";
import { requireOrSkip } from "../util/datasets.ts";
import { loadSpoCrd, parseK8sYaml, spoCrdFile } from "./spo-crd.ts";

const avail = requireOrSkip(spoCrdFile(), "the SPO CRD (profiles/spo-seccompprofile-crd.yaml)");

const P: DockerProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 1,
  architectures: ["SCMP_ARCH_X86_64"],
  syscalls: [
    { names: ["read", "write"], action: "SCMP_ACT_ALLOW", comment: "kept out of the CRD" },
    {
      names: ["clone"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, op: "SCMP_CMP_MASKED_EQ", value: 0x7e020000, valueTwo: 0 }],
    },
    {
      names: ["ioctl"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 1, op: "SCMP_CMP_EQ", value: 0x7fffffffffffffffn }],
    },
    { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 },
  ],
};

/** The parts of a SeccompProfile object the cases edit. */
interface Doc {
  apiVersion: string;
  extra?: unknown;
  metadata: { name: string; namespace?: string; foo?: unknown };
  spec?: {
    defaultErrnoRet?: number;
    archMap?: unknown;
    syscalls: {
      names: string[];
      action: string;
      errnoRet?: number | string;
      comment?: string;
      args: { value: number | bigint }[];
    }[];
  };
}

/** A SeccompProfile object with `edit` applied to a copy. */
function doc(edit: (d: Doc) => void = () => {}): unknown {
  const d = parseK8sYaml(k8sYaml(P, { name: "x", description: "d" })) as Doc;
  edit(d);
  return d;
}

describe.skipIf(avail.skipReason !== null)("the SPO SeccompProfile CRD", () => {
  const crd = loadSpoCrd(avail.path!);

  it("serves v1 (storage) and v1beta1, cluster-scoped; no defaultErrnoRet; errnoRet an int32 in both", () => {
    expect(crd.group).toBe(SPO_GROUP);
    expect(crd.kind).toBe("SeccompProfile");
    expect(crd.versions).toEqual([...K8S_VERSIONS]);
    expect(crd.storage).toBe("v1");
    expect(crd.scope).toBe(SPO_SCOPE);
    type Props = Record<string, { properties: Props; items: { properties: Props } }>;
    const raw = parseYaml(readFileSync(avail.path!, "utf8")) as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: Props } } }[] };
    };
    for (const v of raw.spec.versions) {
      const spec = v.schema.openAPIV3Schema.properties.spec!.properties;
      expect(Object.keys(spec)).not.toContain("defaultErrnoRet");
      expect(spec.syscalls!.items.properties.errnoRet).toMatchObject({ type: "integer", format: "int32" });
    }
  });

  it.each(
    K8S_VERSIONS.flatMap(
      (v) =>
        [
          [v, undefined],
          [v, "payments"],
        ] as const,
    ),
  )("k8sYaml %s (namespace %s) applies", (version, namespace) => {
    const text = k8sYaml(P, {
      name: "Nginx_x86_64-safe",
      description: "d",
      version,
      ...(namespace ? { namespace } : {}),
    });
    const d = parseK8sYaml(text) as Doc;
    expect(crd.errors(d)).toEqual([]);
    expect(d.apiVersion).toBe(`${SPO_GROUP}/${version}`);
    expect(d.metadata.namespace).toBe(namespace);
    expect(d.spec!.defaultErrnoRet).toBeUndefined();
    expect(text).toContain("value: 9223372036854775807"); // exact, not a rounded double
  });

  it("the old output (defaultErrnoRet in spec) is refused as an unknown field", () => {
    expect(crd.errors(doc((d) => (d.spec!.defaultErrnoRet = 1)))).toEqual([
      "/spec: must NOT have additional properties (unknown field defaultErrnoRet)",
    ]);
  });

  it("refuses what strict field validation refuses", () => {
    const cases: [string, (d: Doc) => void, RegExp][] = [
      ["unknown field in a rule", (d) => (d.spec!.syscalls[0]!.comment = "c"), /unknown field comment/],
      ["unknown metadata field", (d) => (d.metadata.foo = 1), /unknown field foo/],
      ["unknown top-level field", (d) => (d.extra = {}), /unknown field extra/],
      [
        "errnoRet as a string (older SPO)",
        (d) => (d.spec!.syscalls[3]!.errnoRet = "38"),
        /errnoRet: must be integer/,
      ],
      ["negative value", (d) => (d.spec!.syscalls[1]!.args[0]!.value = -1), /value: must be >= 0/],
      ["value beyond int64", (d) => (d.spec!.syscalls[2]!.args[0]!.value = 2n ** 64n - 1n), /outside int64/],
      ["duplicate names (a set)", (d) => (d.spec!.syscalls[0]!.names = ["read", "read"]), /duplicate items/],
      ["no names", (d) => (d.spec!.syscalls[0]!.names = []), /fewer than 1 items/],
      ["unknown action", (d) => (d.spec!.syscalls[0]!.action = "SCMP_ACT_DENY"), /allowed values/],
      ["archMap", (d) => (d.spec!.archMap = []), /unknown field archMap/],
      ["bad name", (d) => (d.metadata.name = "Nginx_1"), /metadata\/name: must match pattern/],
      ["no spec", (d) => delete d.spec, /must have required property 'spec'/],
    ];
    for (const [what, edit, want] of cases) expect(crd.errors(doc(edit)).join("; "), what).toMatch(want);
    expect(crd.errors(doc((d) => (d.apiVersion = `${SPO_GROUP}/v1alpha1`)))).toEqual([
      `apiVersion ${SPO_GROUP}/v1alpha1: not served (${SPO_GROUP}/v1, ${SPO_GROUP}/v1beta1)`,
    ]);
  });

  it("the report says where SPO installs it, the errno of the default, and the pod snippet", () => {
    const k = kubernetesProfile(P, { name: "nginx-x86_64-safe", description: "d", namespace: "payments" });
    expect(k.localhost_profile).toBe("operator/nginx-x86-64-safe.json");
    expect(k.localhost_profile_namespaced).toBe("operator/payments/nginx-x86-64-safe.json");
    expect(k.default_errno).toMatchObject({ errno: 1, same_as_docker: true });
    expect(podSnippet(k)).toEqual([
      "securityContext:",
      "  seccompProfile:",
      "    type: Localhost",
      "    localhostProfile: operator/nginx-x86-64-safe.json",
    ]);
    expect(kubernetesLines(k)).toEqual([
      "SeccompProfile nginx-x86-64-safe (security-profiles-operator.x-k8s.io/v1, cluster-scoped; metadata.namespace payments): " +
        "no defaultErrnoRet in the CRD, the default action answers EPERM (1), as in the Docker/OCI profile",
      "pod or container securityContext: seccompProfile: {type: Localhost, localhostProfile: operator/nginx-x86-64-safe.json}",
      "metadata.namespace payments is written, but an API server serving this CRD clears it; SPO releases with a " +
        "namespaced SeccompProfile install it as operator/payments/nginx-x86-64-safe.json instead",
    ]);
    expect(() => kubernetesProfile(P, { name: "x", description: "d", namespace: "Bad_NS" })).toThrow(
      /not a DNS-1123 label/,
    );
    const enosys = kubernetesProfile({ ...P, defaultErrnoRet: 38 }, { name: "x", description: "d" });
    expect(enosys.default_errno).toMatchObject({ errno: 1, same_as_docker: false });
    expect(enosys.default_errno.note).toContain("not the Docker/OCI profile's defaultErrnoRet 38");
  });
});
