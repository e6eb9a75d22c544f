/**
 * A capture manifest (`sandmine ingest --manifest captures.yaml`): the captures to ingest, one run
 * each. Declared once as a shape (schemas/shape.ts), so the checks and the JSON Schema
 * (schemas/json/manifest.schema.json) cannot drift apart. Examples: datasets/captures.yaml,
 * datasets/styles.yaml.
 */
import type * as z from "zod";
import { list, obj, oneOf, opt, record, req, scalarText, text } from "./shape.ts";

/** What `--format` and a manifest's `format:` accept (`auto`: recognised by content). */
export const CAPTURE_FORMATS = ["auto", "strace", "sysdig-text", "sysdig-json", "scap"] as const;
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number];

const capture = obj({
  path: req(text.describe("a capture file or -ff folder, relative to the manifest")),
  image: opt(scalarText.describe("the run's image (default: the name of the folder that holds path)")),
  run: opt(scalarText.describe("the run id (default: the name of path)")),
  format: opt(oneOf(CAPTURE_FORMATS).describe("how to read the capture (default: ingest's --format)")),
  labels: opt(
    record(scalarText, text).describe(
      "free-form labels, kept in runs.labels; `test` names the test case the run recorded",
    ),
  ),
});

/** Other top-level keys are ignored (as they always were). */
export const capturesManifestShape = obj(
  { captures: req(list(capture).describe("the captures to ingest, one run each")) },
  { otherKeys: "allow" },
);

export type CapturesManifest = z.output<typeof capturesManifestShape>;
export type CaptureEntry = CapturesManifest["captures"][number];
