/**
 * YAML text → a value checked against a shape (schemas/shape.ts), or an error naming the file, the
 * line, the path in the document and the reason (`busybox.yaml:12: tests[1].expect.status: must be
 * at most 255, got 300`). Bad YAML is reported the same way, with the path `(yaml)`.
 */
import { isNode, LineCounter, parseDocument } from "yaml";
import { formatPath, parseShape, ShapeError, type Path, type Shape } from "../../schemas/shape.ts";

export class YamlShapeError extends Error {
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

/**
 * Parses `text` (from `file`) and checks it against `shape`, then `check` (for rules across
 * fields, throwing ShapeError); throws YamlShapeError for the first problem.
 */
export function parseYamlShape<T>(
  text: string,
  file: string,
  shape: Shape<T>,
  check: (v: T) => T = (v) => v,
): T {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = counter.linePos(e.pos[0]).line;
    throw new YamlShapeError(file, line, "(yaml)", e.message.split("\n")[0]!);
  }
  try {
    return check(parseShape(shape, doc.toJS()));
  } catch (e) {
    if (e instanceof ShapeError)
      throw new YamlShapeError(file, lineOf(doc, counter, e.path), formatPath(e.path), e.reason);
    throw e;
  }
}
