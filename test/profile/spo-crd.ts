/**
 * The SPO SeccompProfile CRD (../shared/datasets/profiles/spo-seccompprofile-crd.yaml) as a JSON
 * Schema validator (ajv), rejecting what an API server with strict field validation (kubectl's
 * default) rejects, so tests can check that a generated object applies.
 *
 * How the Kubernetes structural-schema specifics are handled:
 * - unknown fields: every object schema without `x-kubernetes-preserve-unknown-fields: true` gets
 *   `additionalProperties: false` (the server prunes unknown fields, and strict validation turns
 *   each pruned field into an error); `metadata` (`type: object` in the CRD, checked by the server
 *   as ObjectMeta) is replaced by the ObjectMeta fields, name a DNS-1123 subdomain, namespace a
 *   DNS-1123 label, labels and annotations string maps;
 * - `x-kubernetes-int-or-string: true` becomes `anyOf: [integer, string]`;
 * - `x-kubernetes-list-type: set` becomes `uniqueItems`; `map` with `x-kubernetes-list-map-keys`
 *   a keyword that rejects two items with the same keys; `atomic` checks nothing more;
 * - `format: int32` / `int64` are ranges (ints beyond 2^53 are checked exactly before ajv sees
 *   them as doubles), `date-time` is RFC 3339;
 * - `apiVersion` must be GROUP/VERSION of a served version and `kind` the CRD's kind, and the
 *   object is checked against that version's schema;
 * - `x-kubernetes-embedded-resource`, `x-kubernetes-validations` (CEL) and any other extension
 *   are refused when the schema is built: this CRD has none, and a new one must be handled here
 *   rather than silently ignored.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse as parseYaml } from "yaml";
import { sharedDatasets } from "../util/datasets.ts";

type Schema = Record<string, unknown>;

const INT32 = [-(2 ** 31), 2 ** 31 - 1] as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The CRD file, or null when the shared datasets are absent. */
export function spoCrdFile(): string | null {
  const d = sharedDatasets();
  return d === null ? null : join(d, "profiles", "spo-seccompprofile-crd.yaml");
}

/** ObjectMeta as the API server checks it in a create request (the fields a client may send). */
const OBJECT_META: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: {
      type: "string",
      maxLength: 253,
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    },
    generateName: { type: "string" },
    namespace: { type: "string", maxLength: 63, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
    finalizers: { type: "array", items: { type: "string" } },
    ownerReferences: { type: "array", items: { type: "object" } },
    // read-only fields a `kubectl get -o yaml` copy carries (the server ignores or checks them)
    uid: { type: "string" },
    resourceVersion: { type: "string" },
    generation: { type: "integer" },
    creationTimestamp: { type: "string", format: "date-time" },
    deletionTimestamp: { type: "string", format: "date-time" },
    deletionGracePeriodSeconds: { type: "integer" },
    selfLink: { type: "string" },
    managedFields: { type: "array", items: { type: "object" } },
  },
};

const PLAIN = new Set([
  "type",
  "properties",
  "items",
  "required",
  "enum",
  "pattern",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "format",
  "default",
  "additionalProperties",
  "description",
]);

/** The structural schema as a strict JSON Schema (see the module comment). */
function structural(s: Schema, path: string): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === "description") continue;
    if (k === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, Schema>).map(([p, sub]) => [p, structural(sub, `${path}.${p}`)]),
      );
    } else if (k === "items") out.items = structural(v as Schema, `${path}[]`);
    else if (k === "additionalProperties")
      out.additionalProperties = typeof v === "boolean" ? v : structural(v as Schema, `${path}.*`);
    else if (k === "x-kubernetes-list-type") {
      if (v === "set") out.uniqueItems = true;
      else if (v === "map") out["x-list-map-keys"] = s["x-kubernetes-list-map-keys"];
      else if (v !== "atomic") throw new Error(`${path}: list type ${String(v)}`);
    } else if (k === "x-kubernetes-list-map-keys") continue;
    else if (k === "x-kubernetes-int-or-string") {
      if (v === true) out.anyOf = [{ type: "integer" }, { type: "string" }];
    } else if (k === "x-kubernetes-preserve-unknown-fields") continue;
    else if (k.startsWith("x-kubernetes-"))
      throw new Error(`${path}: ${k} is not handled by test/profile/spo-crd.ts`);
    else if (PLAIN.has(k)) out[k] = v;
    else throw new Error(`${path}: schema keyword ${k} is not handled by test/profile/spo-crd.ts`);
  }
  const open = s["x-kubernetes-preserve-unknown-fields"] === true;
  if (s.type === "object" && !open && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

/** Ints of a parsed document as numbers; the ones a double cannot hold exactly are range-checked here. */
function exactInts(v: unknown, path: string, errors: string[]): unknown {
  if (typeof v === "bigint") {
    if (v < INT64_MIN || v > INT64_MAX) errors.push(`${path}: ${v} is outside int64`);
    return Number(v);
  }
  if (Array.isArray(v)) return v.map((x, i) => exactInts(x, `${path}[${i}]`, errors));
  if (typeof v === "object" && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, exactInts(x, `${path}.${k}`, errors)]));
  return v;
}

/** A YAML object as the API server decodes it: ints exact (bigint beyond 2^53). */
export function parseK8sYaml(text: string): unknown {
  return parseYaml(text, { intAsBigInt: true });
}

export interface SpoCrd {
  group: string;
  kind: string;
  scope: string;
  /** served versions, storage version first */
  versions: string[];
  storage: string;
  /** what the API server would refuse in `doc` (empty: it applies) */
  errors(doc: unknown): string[];
}

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: Schema };
}

/** The validator of the CRD in `file`. */
export function loadSpoCrd(file: string): SpoCrd {
  const crd = parseYaml(readFileSync(file, "utf8")) as {
    spec: { group: string; scope: string; names: { kind: string }; versions: CrdVersion[] };
  };
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= INT32[0] && n <= INT32[1],
  });
  ajv.addFormat("int64", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 63,
  });
  ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);
  ajv.addKeyword({
    keyword: "x-list-map-keys",
    type: "array",
    schemaType: "array",
    validate: (keys: string[], data: unknown[]) => {
      const seen = new Set(
        data.map((x) => JSON.stringify(keys.map((k) => (x as Record<string, unknown>)[k]))),
      );
      return seen.size === data.length;
    },
  });
  const served = crd.spec.versions.filter((v) => v.served);
  const validators = new Map<string, ValidateFunction>();
  for (const v of served) {
    const root = structural(v.schema.openAPIV3Schema, v.name);
    (root.properties as Record<string, Schema>).metadata = OBJECT_META;
    validators.set(v.name, ajv.compile(root));
  }
  const storage = served.find((v) => v.storage)!.name;
  const { group, scope } = crd.spec;
  const kind = crd.spec.names.kind;
  return {
    group,
    kind,
    scope,
    storage,
    versions: [storage, ...served.map((v) => v.name).filter((n) => n !== storage)],
    errors(doc: unknown): string[] {
      const errors: string[] = [];
      const d = exactInts(doc, "", errors) as Record<string, unknown> | null;
      if (typeof d !== "object" || d === null) return ["not an object"];
      const api = String(d.apiVersion);
      const version = api.startsWith(`${group}/`) ? api.slice(group.length + 1) : undefined;
      const validate = version === undefined ? undefined : validators.get(version);
      if (!validate)
        return [
          `apiVersion ${api}: not served (${[...validators.keys()].map((v) => `${group}/${v}`).join(", ")})`,
        ];
      if (d.kind !== kind) errors.push(`kind ${String(d.kind)}: expected ${kind}`);
      if (!validate(d))
        for (const e of validate.errors ?? [])
          errors.push(
            `${e.instancePath || "/"}: ${e.message}` +
              (e.keyword === "additionalProperties"
                ? ` (unknown field ${(e.params as { additionalProperty: string }).additionalProperty})`
                : ""),
          );
      return errors;
    },
  };
}
