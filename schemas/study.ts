/**
 * A study (`sandmine run STUDY.yaml`): the experiments one command reproduces end to end (record,
 * ingest, characterize, coverage, synthesize per mode, check, validate), each entry either an
 * experiment file to record or already-recorded captures to ingest, plus the options of the
 * analysis stages and where the results go. Declared once as a shape (schemas/shape.ts), so the
 * types, the checks and the JSON Schema (schemas/json/study.schema.json) cannot drift apart.
 * Example: test/run/fixtures/captures.study.yaml; `sandmine run EXPERIMENT.yaml` reads an
 * experiment file as a study of that one experiment.
 */
import type * as z from "zod";
import { bool, exactlyOne, int, list, num, obj, oneOf, opt, req, str, ShapeError } from "./shape.ts";

const NAME = { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, what: "a name of letters, digits, '.', '_' and '-'" };

/** The profile modes of `synthesize --args`. */
export const STUDY_MODES = ["none", "safe", "learned"] as const;
export type StudyMode = (typeof STUDY_MODES)[number];

/** The parts of `validate` a study can run, each its own cached stage. */
export const STUDY_PARTS = ["enforce", "complain", "probes", "overhead", "heldout"] as const;
export type StudyPart = (typeof STUDY_PARTS)[number];

const entry = exactlyOne(
  ["experiment", "captures"],
  obj({
    experiment: opt(
      str().describe(
        "an experiment file (relative to the study file): built, recorded under strace, ingested and validated",
      ),
    ),
    captures: opt(
      str().describe(
        "instead of recording: a folder of already-recorded runs (one sub-folder or file per run) or a capture manifest (.yaml), relative to the study file",
      ),
    ),
    name: opt(
      str(NAME).describe(
        "the image name in the dataset and the stage names (default: the experiment's name, else the captures folder's name)",
      ),
    ),
    runs: opt(int({ min: 1, max: 50 }).describe("recorded runs (default: the experiment's runs)")),
    modes: opt(
      list(oneOf(STUDY_MODES), { min: 1 }).describe(
        "profiles synthesized, checked and validated (default: none, safe, learned)",
      ),
    ),
    validate: opt(
      list(oneOf(STUDY_PARTS)).describe(
        "validate parts, each a stage (default: all five with an experiment; [] for captures)",
      ),
    ),
    backend: opt(oneOf(["docker", "runc"] as const).describe("validate's backend (default docker)")),
    validate_stages: opt(
      oneOf(["per-part", "one"] as const).describe(
        "per-part (default): each validate part its own stage, engine and image build; one: all parts in one stage (one engine and image build, redone whole when any part's input changes)",
      ),
    ),
  }),
);

const coverageOptions = obj({
  unit: opt(oneOf(["auto", "run", "test"] as const).describe("sampling unit (default auto)")),
  max_p_new: opt(num({ min: 0 }).describe("saturated only if P(new) < this (default 0.05)")),
  min_runs: opt(int({ min: 1 }).describe("saturated only with at least this many runs (default 5)")),
  orders: opt(
    int({ min: 1, max: 100000 }).describe("random run orders of the discovery curve (default 200)"),
  ),
  seed: opt(int({ min: 0 }).describe("seed of the run orders and the 10-fold split (default 1)")),
});

export const studyShape = obj({
  name: req(str(NAME).describe("the study's name: results go to datasets/results/NAME/ unless out: says")),
  description: opt(str()),
  out: opt(
    str().describe(
      "results folder, relative to the study file (default: datasets/results/NAME of the repository holding the file, else of the current folder)",
    ),
  ),
  experiments: req(list(entry, { min: 1 }).describe("the experiments, in the order they run")),
  coverage: opt(coverageOptions.describe("options of the coverage stage")),
  report: opt(bool.describe("write report.html into the results (default true)")),
});

export type Study = z.output<typeof studyShape>;
export type StudyEntry = Study["experiments"][number];
export type StudyCoverage = NonNullable<Study["coverage"]>;

/** Checks that cross fields: entry names are unique (they name the stages). */
export function checkStudy(s: Study): Study {
  s.experiments.forEach((e, i) => {
    if (e.captures !== undefined && (e.validate ?? []).length > 0)
      throw new ShapeError(
        ["experiments", i, "validate"],
        "validate needs an experiment file (captures only)",
      );
    if (e.captures !== undefined && e.runs !== undefined)
      throw new ShapeError(["experiments", i, "runs"], "only for an experiment that is recorded");
    if (e.captures !== undefined && e.validate_stages !== undefined)
      throw new ShapeError(["experiments", i, "validate_stages"], "only for an experiment that is validated");
    if (e.captures !== undefined && e.backend !== undefined)
      throw new ShapeError(["experiments", i, "backend"], "only for an experiment that is validated");
  });
  return s;
}
