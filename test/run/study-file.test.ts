/**
 * The study file and the code version of `sandmine run`, in process: a study and an experiment
 * file both load (the experiment as a study of itself), a bad study is refused with its file, line
 * and path, the JSON Schema accepts the bundled study; a stage's code version covers the files its
 * module reaches (not type-only imports) and the versions of the packages they import.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { codeFiles } from "../../pipeline/run/code-version.ts";
import { HashMemo } from "../../pipeline/run/hash.ts";
import { planStudy } from "../../pipeline/run/plan.ts";
import { loadStudy } from "../../pipeline/run/study-file.ts";
import { REPO_ROOT } from "../util/datasets.ts";

const FIXTURE = join(REPO_ROOT, "test/run/fixtures/captures.study.yaml");
const dir = mkdtempSync(join(tmpdir(), "sandmine-study-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("study files", () => {
  it("load with defaults resolved against the study file", () => {
    const s = loadStudy(FIXTURE, { cache: join(dir, "c") });
    expect(s.name).toBe("bundled");
    expect(s.entries.map((e) => [e.name, e.modes, e.parts])).toEqual([
      ["memcached", ["none", "safe", "learned"], []],
      ["redis", ["safe"], []],
    ]);
    expect(s.entries[0]!.captures).toBe(join(REPO_ROOT, "datasets/captures/memcached"));
    expect(s.out).toBe(join(REPO_ROOT, "out/run-results/bundled"));
    expect(s.coverage).toEqual({ unit: "auto", max_p_new: 0.05, min_runs: 5, orders: 50, seed: 1 });
  });

  it("an experiment file is a study of that one experiment, results under datasets/results/NAME", () => {
    const s = loadStudy(join(REPO_ROOT, "datasets/experiments/busybox.yaml"), { cache: join(dir, "c") });
    expect(s.name).toBe("busybox-e2e");
    expect(s.entries).toHaveLength(1);
    expect(s.entries[0]!.parts).toEqual(["enforce", "complain", "probes", "overhead", "heldout"]);
    expect(s.out).toBe(join(REPO_ROOT, "datasets/results/busybox-e2e"));
  });

  it("validate parts are a stage each, or one stage with validate_stages: one", () => {
    const f = join(dir, "one.study.yaml");
    const exp = join(REPO_ROOT, "datasets/experiments/busybox.yaml");
    const ids = (extra: string) => {
      writeFileSync(f, `name: x\nexperiments:\n  - experiment: ${exp}\n    modes: [safe]\n${extra}`);
      return planStudy(loadStudy(f, { cache: join(dir, "c") }), new HashMemo()).map((d) => d.id);
    };
    const per = ids("");
    expect(per.filter((i) => i.includes("validate"))).toEqual(
      ["enforce", "complain", "probes", "overhead", "heldout"].map((p) => `busybox-e2e/validate-${p}`),
    );
    const one = ids("    validate_stages: one\n    validate: [enforce, probes]\n");
    expect(one).toEqual([
      "busybox-e2e/image",
      "busybox-e2e/record",
      "busybox-e2e/ingest",
      "busybox-e2e/characterize",
      "busybox-e2e/coverage",
      "busybox-e2e/synthesize-safe",
      "busybox-e2e/check-safe",
      "busybox-e2e/validate",
      "report",
      "results",
    ]);
  });

  it("a bad study is refused with its file, line, path and reason", () => {
    const f = join(dir, "bad.study.yaml");
    writeFileSync(f, "name: x\nexperiments:\n  - captures: .\n    modes: [safe, strict]\n");
    expect(() => loadStudy(f)).toThrow(
      /bad\.study\.yaml:4: experiments\[0\]\.modes\[1\]: expected one of none, safe, learned/,
    );
    writeFileSync(f, "name: x\nexperiments:\n  - captures: .\n    validate: [enforce]\n");
    expect(() => loadStudy(f)).toThrow(/experiments\[0\]\.validate: validate needs an experiment file/);
    writeFileSync(f, "name: x\nexperiments:\n  - captures: .\n  - captures: .\n");
    expect(() => loadStudy(f)).toThrow(/two experiments named/);
  });

  it("the JSON Schema accepts the bundled study and refuses a typo", () => {
    const ajv = new Ajv({
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      validateFormats: false,
    });
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(REPO_ROOT, "schemas/json/study.schema.json"), "utf8")) as object,
    );
    expect(validate(parse(readFileSync(FIXTURE, "utf8"))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ name: "x", experiments: [{ captures: ".", mode: ["safe"] }] })).toBe(false);
  });
});

describe("code version", () => {
  const stage = (m: string) => codeFiles(join(REPO_ROOT, "pipeline/run/stages", `${m}.ts`));

  it("covers what a stage's module reaches, and only that", () => {
    const coverage = stage("coverage");
    expect(Object.keys(coverage)).toEqual(
      expect.arrayContaining([
        "pipeline/run/stages/coverage.ts",
        "pipeline/analyze/coverage.ts",
        "pipeline/duckdb.ts",
        "npm:@duckdb/node-api",
      ]),
    );
    expect(Object.keys(coverage).some((f) => f.startsWith("stages/coverage/"))).toBe(true);
    // synthesize is not reached from coverage; types.ts is imported for types only
    expect(coverage["pipeline/profile/synthesize.ts"]).toBeUndefined();
    expect(coverage["pipeline/run/types.ts"]).toBeUndefined();
    expect(stage("synthesize")["pipeline/profile/synthesize.ts"]).toBeDefined();
    const version = (
      JSON.parse(readFileSync(join(REPO_ROOT, "node_modules/@duckdb/node-api/package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    expect(coverage["npm:@duckdb/node-api"]).toBe(version);
  });
});
