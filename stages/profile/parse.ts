/**
 * Reads a profile in any of the formats sandmine writes or runtimes use — Docker/moby JSON, an OCI
 * `linux.seccomp` fragment or config.json, a SPO `SeccompProfile` (YAML, `v1` or `v1beta1`, a
 * `kubectl get -o yaml` object or a one-item List) — into a DockerProfile, keeping 64-bit argument
 * values exact (JSON.parse would round values above 2^53). Other tools' output reads too:
 * Inspektor Gadget's `advise seccomp` JSON after its `// CONTAINER` line, oci-seccomp-bpf-hook's
 * one-line JSON (empty `includes`/`excludes`, `args: []`), and the SPO recorder's SeccompProfile.
 * A SeccompProfile's `errnoRet` may be an int32 or, as older SPO releases typed it, a string.
 */
import { parse as parseYaml } from "yaml";
import { ACTIONS, OPERATORS, type DockerProfile } from "../../schemas/seccomp-profile.ts";

export class ProfileError extends Error {}

/** JSON text with integers of 16+ digits revived as bigint. */
function parseJsonExact(text: string): unknown {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d{16,}(?![.eE\d])/g, (tok) =>
    tok.startsWith('"') ? tok : `"\\u0000big:${tok}"`,
  );
  return JSON.parse(marked, (_k, v: unknown) =>
    typeof v === "string" && v.startsWith("\u0000big:") ? BigInt(v.slice(5)) : v,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks the shape runtimes rely on; names the first problem. */
function validate(p: Record<string, unknown>, where: string): DockerProfile {
  const fail = (msg: string): never => {
    throw new ProfileError(`${where}: ${msg}`);
  };
  if (!ACTIONS.includes(p.defaultAction as never))
    fail(`defaultAction ${String(p.defaultAction)} is not a seccomp action`);
  if (!Array.isArray(p.syscalls)) fail("syscalls: expected a list");
  (p.syscalls as unknown[]).forEach((r, i) => {
    if (!isObject(r)) return fail(`syscalls[${i}]: expected an object`);
    const names = r.names ?? (r.name !== undefined ? [r.name] : undefined);
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== "string"))
      fail(`syscalls[${i}].names: expected a non-empty list of names`);
    if (r.names === undefined) r.names = names;
    if (
      r.errnoRet !== undefined &&
      (typeof r.errnoRet !== "number" || !Number.isInteger(r.errnoRet) || r.errnoRet < 0)
    )
      fail(`syscalls[${i}].errnoRet ${String(r.errnoRet)}: expected an errno number`);
    if (!ACTIONS.includes(r.action as never))
      fail(`syscalls[${i}].action ${String(r.action)} is not a seccomp action`);
    if (r.args !== undefined && r.args !== null) {
      if (!Array.isArray(r.args) || r.args.length > 6)
        fail(`syscalls[${i}].args: expected at most 6 comparisons`);
      (r.args as unknown[]).forEach((a, j) => {
        if (!isObject(a)) return fail(`syscalls[${i}].args[${j}]: expected an object`);
        if (!OPERATORS.includes(a.op as never))
          fail(`syscalls[${i}].args[${j}].op ${String(a.op)} is not an operator`);
        if (typeof a.index !== "number" || a.index < 0 || a.index > 5)
          fail(`syscalls[${i}].args[${j}].index must be 0-5`);
        for (const k of ["value", "valueTwo"]) {
          const v = a[k];
          if (v !== undefined && typeof v !== "number" && typeof v !== "bigint")
            fail(`syscalls[${i}].args[${j}].${k}: expected an integer`);
        }
      });
    } else delete r.args;
  });
  return p as unknown as DockerProfile;
}

/**
 * Inspektor Gadget prints `// CONTAINER` before each container's profile: one such profile reads
 * as its JSON; several in one file are an error naming them (a profile is one container's).
 */
function withoutGadgetHeaders(text: string, file: string): string {
  if (!text.trimStart().startsWith("//")) return text;
  const headers = [...text.matchAll(/^[ \t]*\/\/[ \t]*(.*)$/gm)];
  if (headers.length > 1)
    throw new ProfileError(
      `${file}: ${headers.length} profiles (Inspektor Gadget prints one per container: ${headers.map((h) => h[1]!.trim()).join(", ")}); give one per file`,
    );
  return text.replace(/^[ \t]*\/\/.*$/m, "");
}

/** A YAML document's ints as numbers where exact, bigint where they need it. */
function narrowInts(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `\u0000big:${x}` : x)),
    (_k, x: unknown) =>
      typeof x === "string" && x.startsWith("\u0000big:") ? narrow(BigInt(x.slice(5))) : x,
  );
}

const SPO_GROUP = "security-profiles-operator.x-k8s.io";

/**
 * A SeccompProfile's spec as a DockerProfile: errnoRet strings (older SPO) as numbers; a base
 * profile only through the `syscalls` annotation SPO writes with the resolved union, since the
 * base itself is not in the file.
 */
function fromSeccompProfile(doc: Record<string, unknown>, file: string): DockerProfile {
  const where = `${file} (SeccompProfile spec)`;
  const api = typeof doc.apiVersion === "string" ? doc.apiVersion : "";
  if (api !== "" && !api.startsWith(`${SPO_GROUP}/`))
    throw new ProfileError(
      `${file}: apiVersion ${api} is not the Security Profiles Operator's (${SPO_GROUP})`,
    );
  const spec = narrowInts(doc.spec) as Record<string, unknown>;
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const base = spec.baseProfileName;
  if (typeof base === "string" && base !== "") {
    const resolved = isObject(meta.annotations) ? meta.annotations.syscalls : undefined;
    if (typeof resolved !== "string")
      throw new ProfileError(
        `${where}: baseProfileName ${base}: the profile is the union with a base profile that is not in this file, ` +
          "so its rules here are only part of what it allows; give the profile as SPO installed it " +
          "(the node's /var/lib/kubelet/seccomp/operator/… JSON) or `kubectl get sp NAME -o yaml` once SPO has " +
          "resolved it (the syscalls annotation)",
      );
    try {
      spec.syscalls = parseJsonExact(resolved);
    } catch (e) {
      throw new ProfileError(`${where}: the syscalls annotation is not JSON: ${(e as Error).message}`);
    }
  }
  delete spec.baseProfileName;
  delete spec.state;
  if (Array.isArray(spec.syscalls))
    (spec.syscalls as unknown[]).forEach((r, i) => {
      if (!isObject(r) || typeof r.errnoRet !== "string") return;
      if (!/^\d+$/.test(r.errnoRet))
        throw new ProfileError(
          `${where}: syscalls[${i}].errnoRet ${JSON.stringify(r.errnoRet)} is not an errno`,
        );
      r.errnoRet = Number(r.errnoRet);
    });
  return validate(spec, where);
}

/** Parses profile text; `file` names it in errors. */
export function parseProfile(text: string, file: string): DockerProfile {
  let doc: unknown;
  const json = withoutGadgetHeaders(text, file);
  try {
    doc = json.trimStart().startsWith("{") ? parseJsonExact(json) : parseYaml(text, { intAsBigInt: true });
  } catch (e) {
    throw new ProfileError(`${file}: not JSON or YAML: ${(e as Error).message}`);
  }
  if (isObject(doc) && doc.kind === "List" && Array.isArray(doc.items)) {
    if (doc.items.length !== 1)
      throw new ProfileError(`${file}: a List of ${doc.items.length} objects; give one SeccompProfile`);
    doc = doc.items[0];
  }
  if (!isObject(doc)) throw new ProfileError(`${file}: expected a profile object`);
  if (doc.kind === "SeccompProfile") {
    if (!isObject(doc.spec)) throw new ProfileError(`${file}: a SeccompProfile without a spec`);
    return fromSeccompProfile(doc, file);
  }
  if (isObject(doc.linux) && isObject(doc.linux.seccomp))
    return validate(doc.linux.seccomp, `${file} (linux.seccomp)`);
  return validate(doc, file);
}

/** A bigint as a number when exact. */
function narrow(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
