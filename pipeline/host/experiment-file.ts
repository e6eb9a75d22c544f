/**
 * Reads an experiment file; bad YAML or a schema violation is a UsageError (exit 2) naming the
 * file, the line, the path in the document and the reason.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Experiment } from "../../schemas/experiment.ts";
import { ExperimentError, parseExperiment } from "../../stages/experiment/parse.ts";
import { UsageError } from "../errors.ts";

export interface LoadedExperiment {
  file: string;
  /** folder of the file: relative paths in it are resolved from here. */
  base: string;
  exp: Experiment;
}

export function loadExperiment(file: string): LoadedExperiment {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(
      `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  try {
    return { file, base: dirname(resolve(file)), exp: parseExperiment(text, file) };
  } catch (e) {
    if (e instanceof ExperimentError) throw new UsageError(e.message);
    throw e;
  }
}
