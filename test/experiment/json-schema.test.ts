/**
 * The JSON Schemas editors validate experiment files and capture manifests with
 * (schemas/json/*.schema.json): the committed files are what the shapes generate, every bundled
 * file is valid under them, and a few broken ones are refused both by the schema and by the shape.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { schemaFiles } from "../../schemas/json/generate.ts";
import { parseExperiment } from "../../stages/experiment/parse.ts";
import { REPO_ROOT } from "../util/datasets.ts";

// strictRequired would refuse `oneOf: [{required: [exec]}, {required: [host]}]`, whose branches
// name properties declared beside them, and `type: [string, number, …]` (both standard JSON
// Schema); formats are not checked
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  validateFormats: false,
});
const schema = (name: string) =>
  ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, "schemas/json", name), "utf8")) as object);
const experiment = schema("experiment.schema.json");
const manifest = schema("manifest.schema.json");
const EXP = join(REPO_ROOT, "datasets/experiments");
const yamlOf = (file: string): unknown => parse(readFileSync(file, "utf8"));

describe("JSON Schemas of experiments and capture manifests", () => {
  it("are the committed files (regenerate with npx tsx schemas/json/generate.ts)", async () => {
    for (const { path, text } of await schemaFiles()) expect(readFileSync(path, "utf8"), path).toBe(text);
  });

  it("accept every bundled experiment and manifest", () => {
    for (const f of ["busybox", "nginx", "redis", "memcached"]) {
      expect(experiment(yamlOf(join(EXP, `${f}.yaml`))), JSON.stringify(experiment.errors)).toBe(true);
    }
    for (const f of ["captures.yaml", "styles.yaml"]) {
      expect(manifest(yamlOf(join(REPO_ROOT, "datasets", f))), JSON.stringify(manifest.errors)).toBe(true);
    }
  });

  it("refuse what the experiment shape refuses", () => {
    const base = readFileSync(join(EXP, "busybox.yaml"), "utf8");
    for (const [from, to] of [
      ["status: 1 }", "status: 300 }"],
      ["runs: 2", "runs: 2\nrun: 3"],
      ["rounds: 5", "rounds: 3"],
      ["probes: all", "probes: [mount, fork-bomb]"],
      ["exec: [sync]", "exec: [sync]\n    host: sync"],
      ["name: busybox-e2e", "name: -e2e"],
    ] as const) {
      const text = base.replace(from, to);
      expect(() => parseExperiment(text, "x.yaml"), to).toThrow();
      expect(experiment(parse(text)), to).toBe(false);
    }
  });

  it("take a key with nothing after it as absent, as the shapes do", () => {
    const base = readFileSync(join(EXP, "busybox.yaml"), "utf8");
    const text = base.replace("runs: 2", "runs:");
    expect(parseExperiment(text, "x.yaml").runs).toBeUndefined();
    expect(experiment(parse(text))).toBe(true);
  });
});
