/**
 * Reads a profile in any of the formats sandmine writes or runtimes use — Docker/moby JSON, an OCI
 * `linux.seccomp` fragment or config.json, a SPO `SeccompProfile` (YAML) — into a DockerProfile,
 * keeping 64-bit argument values exact (JSON.parse would round values above 2^53).
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

/** Parses profile text; `file` names it in errors. */
export function parseProfile(text: string, file: string): DockerProfile {
  let doc: unknown;
  const trimmed = text.trimStart();
  try {
    doc = trimmed.startsWith("{") ? parseJsonExact(text) : parseYaml(text, { intAsBigInt: true });
  } catch (e) {
    throw new ProfileError(`${file}: not JSON or YAML: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new ProfileError(`${file}: expected a profile object`);
  if (doc.kind === "SeccompProfile" && isObject(doc.spec)) {
    // the CRD carries ints as int64; bigint only where they need it
    const spec = JSON.parse(
      JSON.stringify(doc.spec, (_k, v: unknown) => (typeof v === "bigint" ? `\u0000big:${v}` : v)),
      (_k, v: unknown) =>
        typeof v === "string" && v.startsWith("\u0000big:") ? narrow(BigInt(v.slice(5))) : v,
    ) as Record<string, unknown>;
    return validate(spec, `${file} (SeccompProfile spec)`);
  }
  if (isObject(doc.linux) && isObject(doc.linux.seccomp))
    return validate(doc.linux.seccomp, `${file} (linux.seccomp)`);
  return validate(doc, file);
}

/** A bigint as a number when exact. */
function narrow(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
