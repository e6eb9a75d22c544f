/**
 * Experiment YAML text → a checked `Experiment`, or an error naming the line, the path in the
 * document and the reason (`busybox.yaml:12: tests[1].expect.status: must be at most 255, got 300`).
 */
import { isNode, LineCounter, parseDocument } from "yaml";
import { checkExperiment, experimentShape, type Experiment } from "../../schemas/experiment.ts";
import { formatPath, ShapeError, type Path } from "../../schemas/shape.ts";

export class ExperimentError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? "" : `:${line}`}: ${path}: ${reason}`);
  }
}

/** The line of the deepest node on `path` that exists (a missing key points at its parent). */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: Path): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}

export function parseExperiment(text: string, file: string): Experiment {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = counter.linePos(e.pos[0]).line;
    throw new ExperimentError(file, line, "(yaml)", e.message.split("\n")[0]!);
  }
  try {
    return checkExperiment(experimentShape(doc.toJS(), []));
  } catch (e) {
    if (e instanceof ShapeError)
      throw new ExperimentError(file, lineOf(doc, counter, e.path), formatPath(e.path), e.reason);
    throw e;
  }
}
