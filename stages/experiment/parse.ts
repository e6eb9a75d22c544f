/**
 * Experiment YAML text → a checked `Experiment`, or an error naming the line, the path in the
 * document and the reason (`busybox.yaml:12: tests[1].expect.status: must be at most 255, got 300`).
 */
import { checkExperiment, experimentShape, type Experiment } from "../../schemas/experiment.ts";
import { parseYamlShape, YamlShapeError } from "../yaml/parse-shape.ts";

/** The error of a bad experiment file: file, line, path in the document and reason. */
export const ExperimentError = YamlShapeError;
export type ExperimentError = YamlShapeError;

export function parseExperiment(text: string, file: string): Experiment {
  return parseYamlShape(text, file, experimentShape, checkExperiment);
}
