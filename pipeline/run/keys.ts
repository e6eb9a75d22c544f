/**
 * A stage's key and its parts (inputs, parameters, code), and in words what differs between a
 * stage's record and its key now (what --status prints for a stale stage).
 */
import { codeFiles, codeHash } from "./code-version.ts";
import { fileLabel } from "./file-label.ts";
import { jsonHash, sha256, stableJson, type HashMemo } from "./hash.ts";
import type { KeyParts, StageDef, StageRecord } from "./types.ts";

/** The key parts of `def` now; `output(dep)` gives an upstream stage's output hash. */
export function keyParts(def: StageDef, memo: HashMemo, output: (dep: string) => string): KeyParts {
  const inputs: Record<string, string> = {};
  for (const d of def.deps) inputs[`stage:${d}`] = output(d);
  for (const f of def.files()) inputs[`file:${fileLabel(f)}`] = memo.hash(f);
  const files = codeFiles(def.code);
  return {
    inputs,
    params: jsonHash(def.params),
    code: codeHash(files),
    codeFiles: files,
    paramsValue: def.params,
  };
}

export const keyOf = (p: KeyParts): string =>
  sha256(stableJson({ inputs: p.inputs, params: p.params, code: p.code }));

/** `a, b, c` or `a, b, c and 4 more`. */
function some(xs: readonly string[], most = 3): string {
  return xs.length <= most ? xs.join(", ") : `${xs.slice(0, most).join(", ")} and ${xs.length - most} more`;
}

/** The keys of two records whose values differ (added and removed keys too). */
function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => stableJson(a[k]) !== stableJson(b[k]));
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };

/** What changed between the record's key parts and now, in words (empty when the key is the same). */
export function whyStale(rec: StageRecord, now: KeyParts): string[] {
  const out: string[] = [];
  const inputs = changedKeys(rec.parts.inputs, now.inputs).map((k) => k.replace(/^(stage|file):/, ""));
  if (inputs.length) out.push(`input changed (${some(inputs)})`);
  if (rec.parts.params !== now.params)
    out.push(
      `parameters changed (${some(changedKeys(asRecord(rec.parts.paramsValue), asRecord(now.paramsValue)))})`,
    );
  if (rec.parts.code !== now.code)
    out.push(`code changed (${some(changedKeys(rec.parts.codeFiles, now.codeFiles))})`);
  return out;
}
