/**
 * Reads a study file, or an experiment file as a study of that one experiment (a file is a study
 * when its document has `experiments:`). Bad YAML or a schema violation is a UsageError (exit 2)
 * naming the file, the line, the path in the document and the reason.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { checkStudy, STUDY_MODES, STUDY_PARTS, studyShape, type Study } from "../../schemas/study.ts";
import { parseYamlShape, YamlShapeError } from "../../stages/yaml/parse-shape.ts";
import { UsageError } from "../errors.ts";
import { loadExperiment, type LoadedExperiment } from "../host/experiment-file.ts";
import type { LoadedStudy, ResolvedEntry } from "./types.ts";

export interface StudyOverrides {
  cache?: string;
  out?: string;
}

const DEFAULT_COVERAGE = { unit: "auto", max_p_new: 0.05, min_runs: 5, orders: 200, seed: 1 } as const;

/** The folder of the sandmine checkout holding `dir` (package.json named sandmine), if any. */
function repositoryOf(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const pkg = join(d, "package.json");
    if (existsSync(pkg) && /"name":\s*"sandmine"/.test(readFileSync(pkg, "utf8"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(
      `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

/** Whether the YAML document is a study (has `experiments:`); unparsable text is left to the parsers. */
function isStudy(text: string): boolean {
  try {
    const v: unknown = parse(text);
    return typeof v === "object" && v !== null && "experiments" in v;
  } catch {
    return false;
  }
}

/** The experiment with the entry's name (the image name in the dataset and in validation). */
function renamed(le: LoadedExperiment, name: string): LoadedExperiment {
  return name === le.exp.name ? le : { ...le, exp: { ...le.exp, name } };
}

export function loadStudy(file: string, o: StudyOverrides = {}): LoadedStudy {
  const text = readText(file);
  const base = dirname(resolve(file));
  let study: Study;
  if (isStudy(text)) {
    try {
      study = parseYamlShape(text, file, studyShape, checkStudy);
    } catch (e) {
      if (e instanceof YamlShapeError) throw new UsageError(e.message);
      throw e;
    }
  } else {
    const le = loadExperiment(file);
    study = { name: le.exp.name, experiments: [{ experiment: basename(file) }] };
  }
  const entries: ResolvedEntry[] = study.experiments.map((e) => {
    const common = {
      modes: e.modes ?? [...STUDY_MODES],
      backend: e.backend ?? ("docker" as const),
      validateStages: e.validate_stages ?? ("per-part" as const),
    };
    if (e.experiment !== undefined) {
      const le = loadExperiment(resolve(base, e.experiment));
      const name = e.name ?? le.exp.name;
      return {
        ...common,
        name,
        experiment: renamed(le, name),
        ...(e.runs === undefined ? {} : { runs: e.runs }),
        parts: e.validate ?? [...STUDY_PARTS],
      };
    }
    const captures = resolve(base, e.captures!);
    if (!existsSync(captures))
      throw new UsageError(`${file}: captures ${e.captures}: no such file or folder`);
    const name = e.name ?? basename(captures);
    return { ...common, name, captures, capturesGiven: e.captures!, parts: [] };
  });
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name))
      throw new UsageError(`${file}: two experiments named ${JSON.stringify(e.name)} (give one a name:)`);
    names.add(e.name);
  }
  const repo = repositoryOf(base) ?? process.cwd();
  return {
    file,
    base,
    name: study.name,
    ...(study.description === undefined ? {} : { description: study.description }),
    entries,
    coverage: { ...DEFAULT_COVERAGE, ...study.coverage },
    report: study.report ?? true,
    cache: resolve(o.cache ?? join("out", "run", study.name)),
    out: resolve(
      o.out ??
        (study.out !== undefined ? resolve(base, study.out) : join(repo, "datasets", "results", study.name)),
    ),
  };
}
