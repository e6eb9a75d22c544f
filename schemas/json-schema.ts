/**
 * The JSON Schemas of the files people write: experiments (schemas/experiment.ts) and capture
 * manifests (schemas/captures-manifest.ts), generated from the same shapes that check them, for
 * editors (`# yaml-language-server: $schema=…`). Written to schemas/json/ by
 * schemas/json/generate.ts; a test checks the committed files equal these.
 */
import * as z from "zod";
import { capturesManifestShape } from "./captures-manifest.ts";
import { experimentShape } from "./experiment.ts";
import { studyShape } from "./study.ts";

type JsonSchema = Record<string, unknown>;

const acceptsNull = (p: JsonSchema): boolean =>
  p.type === "null" ||
  (Array.isArray(p.type) && p.type.includes("null")) ||
  (Array.isArray(p.anyOf) && (p.anyOf as JsonSchema[]).some(acceptsNull));

/**
 * `key:` with nothing after it (null) is an absent key in these files (schemas/shape.ts `obj`):
 * every optional property of a mapping also takes null. Walks the finished schema once.
 */
function nullMeansAbsent(node: unknown, seen = new WeakSet<object>()): void {
  if (typeof node !== "object" || node === null || seen.has(node)) return;
  seen.add(node);
  for (const child of Object.values(node)) nullMeansAbsent(child, seen);
  const s = node as JsonSchema;
  if (s.type !== "object" || typeof s.properties !== "object" || s.properties === null) return;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const props = s.properties as Record<string, JsonSchema>;
  for (const [k, p] of Object.entries(props)) {
    if (required.has(k) || acceptsNull(p)) continue;
    const { description, ...rest } = p;
    props[k] = { ...(description === undefined ? {} : { description }), anyOf: [rest, { type: "null" }] };
  }
}

function toJson(shape: z.ZodType, title: string, description: string): JsonSchema {
  const s = z.toJSONSchema(shape, { target: "draft-07", io: "input" }) as JsonSchema;
  nullMeansAbsent(s);
  const { $schema, ...rest } = s;
  return { $schema, title, description, ...rest };
}

/** The JSON Schema of an experiment file (datasets/experiments/*.yaml). */
export function experimentJsonSchema(): JsonSchema {
  return toJson(
    experimentShape,
    "sandmine experiment",
    "An experiment for `sandmine record` and `sandmine validate`: the image, how its container runs, the tests and use cases, the attack probes, the overhead benchmark, the recorded runs and the profiles to validate.",
  );
}

/** The JSON Schema of a capture manifest (`sandmine ingest --manifest`, datasets/captures.yaml). */
export function manifestJsonSchema(): JsonSchema {
  return toJson(
    capturesManifestShape,
    "sandmine capture manifest",
    "The captures `sandmine ingest --manifest FILE` ingests, one run each; paths are relative to the manifest.",
  );
}

/** The JSON Schema of a study file (`sandmine run STUDY.yaml`). */
export function studyJsonSchema(): JsonSchema {
  return toJson(
    studyShape,
    "sandmine study",
    "The experiments `sandmine run` reproduces end to end (recorded, or already-recorded captures), the options of its analysis stages and where the results go.",
  );
}

/** The files of schemas/json/ and their JSON Schemas. */
export const JSON_SCHEMAS: readonly { file: string; schema: () => JsonSchema }[] = [
  { file: "experiment.schema.json", schema: experimentJsonSchema },
  { file: "manifest.schema.json", schema: manifestJsonSchema },
  { file: "study.schema.json", schema: studyJsonSchema },
];
