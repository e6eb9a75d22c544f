/**
 * A small declarative schema for YAML documents (experiments, capture manifests), built on zod:
 * each shape checks a value and reports the first problem with its path in the document
 * (`tests[2].expect.status`) and a reason in our words; the same shapes emit the JSON Schema that
 * editors validate the files with (schemas/json-schema.ts). Pure; the caller turns the path into
 * a line number.
 */
import * as z from "zod";

export type Path = (string | number)[];

export class ShapeError extends Error {
  constructor(
    readonly path: Path,
    readonly reason: string,
  ) {
    super(`${formatPath(path)}: ${reason}`);
  }
}

export function formatPath(path: Path): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? p : `.${p}`;
  return s === "" ? "(document)" : s;
}

/** A shape turns an unknown value into a `T` (parseShape), or reports why it cannot. */
export type Shape<T> = z.ZodType<T>;

const kind = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : typeof v;

/**
 * A zod error option giving `reason(input)`. A missing key reaches its shape as `undefined` (YAML
 * has no undefined), which is reported as "required".
 */
const says = (reason: (input: unknown) => string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? "required" : reason(iss.input)),
});

export const str = (opts: { pattern?: RegExp; what?: string } = {}) => {
  const type = says((v) => `expected a non-empty string, got ${kind(v)}`);
  const s = z.string(type).min(1, type);
  const { pattern } = opts;
  if (!pattern) return s;
  return s.regex(
    pattern,
    says((v) => `${JSON.stringify(v)} is not ${opts.what ?? `matching ${pattern}`}`),
  );
};

/** Any string, even an empty one (a path: `""` is the folder of the file). */
export const text = z.string(says((v) => `expected a string, got ${kind(v)}`));

/** A YAML scalar as a string: a string, a number, true/false or null (`run: 1` is the run "1"). */
export const scalarText = z
  .union([
    z.number(),
    z.boolean(),
    z.null(),
    z.string(says((v) => `expected a string, a number or true/false, got ${kind(v)}`)),
  ])
  .transform((v) => String(v));

export const int = (opts: { min?: number; max?: number } = {}) => {
  const atLeast = says((v) => `must be at least ${opts.min}, got ${v}`);
  const atMost = says((v) => `must be at most ${opts.max}, got ${v}`);
  // beyond the safe integers zod reports a bound of its own: ours are always tighter
  let s = z.int({
    error: (iss) =>
      iss.input === undefined
        ? "required"
        : iss.code === "too_big" && opts.max !== undefined
          ? atMost.error(iss)
          : iss.code === "too_small" && opts.min !== undefined
            ? atLeast.error(iss)
            : `expected an integer, got ${kind(iss.input)}`,
  });
  if (opts.min !== undefined) s = s.min(opts.min, atLeast);
  if (opts.max !== undefined) s = s.max(opts.max, atMost);
  return s;
};

export const num = (opts: { min?: number } = {}) => {
  const s = z.number(says((v) => `expected a number, got ${kind(v)}`));
  return opts.min === undefined
    ? s
    : s.min(
        opts.min,
        says((v) => `must be at least ${opts.min}, got ${v}`),
      );
};

export const bool = z.boolean(says((v) => `expected true or false, got ${kind(v)}`));

export const oneOf = <const T extends string>(values: readonly T[]) =>
  z.literal(
    values,
    says((v) => `expected one of ${values.join(", ")}, got ${JSON.stringify(v)}`),
  );

/** A regular expression given as a string; compiled here so a bad one is reported with its path. */
export const regex = str()
  .check((ctx) => {
    try {
      new RegExp(ctx.value, "m");
    } catch (e) {
      const reason = `not a valid regular expression (${(e as Error).message})`;
      ctx.issues.push({ code: "custom", message: reason, input: ctx.value });
    }
  })
  .meta({ format: "regex" });

export const list = <T extends z.ZodType>(item: T, opts: { min?: number } = {}) => {
  const s = z.array(
    item,
    says((v) => `expected a list, got ${kind(v)}`),
  );
  return opts.min === undefined
    ? s
    : s.min(
        opts.min,
        says((v) => `expected at least ${opts.min} item(s), got ${(v as unknown[]).length}`),
      );
};

/** A string, or a list of strings (an argv); always a list once parsed. */
export const argv = z
  .union([str(), list(str(), { min: 1 })])
  .transform((v): string[] => (typeof v === "string" ? [v] : v));

export const record = <T extends z.ZodType>(value: T, key: z.ZodType<string, string> = str()) =>
  z.record(
    key,
    value,
    says((v) => `expected a mapping, got ${kind(v)}`),
  );

/**
 * The keyword `word`, standing for `value`, or a value of `shape` (`probes: all`); anything else
 * is reported as `shape` reports it.
 */
export const wordOr = <T extends z.ZodType>(word: string, value: z.output<T>, shape: T) =>
  z.union([z.literal(word).transform(() => value), shape]);

/** A required field of `obj`. */
export const req = <T extends z.ZodType>(shape: T): T => shape;
/** An optional field of `obj` (absent or null). */
export const opt = <T extends z.ZodType>(shape: T) => shape.optional();

/** A mapping without the keys whose value is null (`key:` with nothing after it is absent). */
const withoutNulls = (v: unknown): unknown =>
  typeof v === "object" && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null))
    : v;

/**
 * A mapping with known keys; unknown keys are errors (typos must not pass silently) unless
 * `otherKeys: "allow"` (they are then kept as they are), and a key whose value is null counts as
 * absent (so a required one is "required").
 */
export const obj = <S extends z.ZodRawShape>(fields: S, opts: { otherKeys?: "error" | "allow" } = {}) => {
  const error = (iss: z.core.$ZodRawIssue) =>
    iss.input === undefined
      ? "required"
      : iss.code === "unrecognized_keys"
        ? `unknown key (expected one of ${Object.keys(fields).join(", ")})`
        : `expected a mapping, got ${kind(iss.input)}`;
  const mapping =
    opts.otherKeys === "allow" ? z.looseObject(fields, { error }) : z.strictObject(fields, { error });
  return z.preprocess(withoutNulls, mapping);
};

/**
 * Exactly one of the given keys must be present (e.g. a command runs in the container or on the
 * host); checked once the mapping itself is valid.
 */
export const exactlyOne = <T extends z.ZodType<Record<string, unknown>>>(keys: readonly string[], inner: T) =>
  inner
    .check((ctx) => {
      const present = keys.filter((k) => ctx.value[k] !== undefined);
      if (present.length !== 1) {
        const got = present.length === 0 ? "none" : present.join(", ");
        ctx.issues.push({
          code: "custom",
          message: `give exactly one of ${keys.join(", ")} (got ${got})`,
          input: ctx.value,
        });
      }
    })
    .meta({ oneOf: keys.map((k) => ({ required: [k] })) });

/** Checks `value` against `shape`; throws ShapeError for the first problem (in document order). */
export function parseShape<T>(shape: Shape<T>, value: unknown): T {
  const r = shape.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  const { path, reason } = firstProblem(r.error.issues);
  throw new ShapeError(path, reason);
}

/**
 * The problem a depth-first walk meets first: zod lists a mapping's unknown keys after the
 * problems of its fields, while the walk reports them before descending into the mapping.
 */
function firstProblem(issues: readonly z.core.$ZodIssue[]): { path: Path; reason: string } {
  const first = issues[0]!;
  const enclosing = issues.filter(
    (i) => i.code === "unrecognized_keys" && i.path.every((p, n) => first.path[n] === p),
  );
  const pick = enclosing.sort((a, b) => a.path.length - b.path.length)[0] ?? first;
  return problemOf(pick, []);
}

/** One issue as a path and reason; within a union, the problem of the branch the value came closest to. */
function problemOf(iss: z.core.$ZodIssue, prefix: Path): { path: Path; reason: string } {
  const path = [...prefix, ...iss.path.map((p) => (typeof p === "number" ? p : String(p)))];
  if (iss.code === "unrecognized_keys") return { path: [...path, iss.keys[0]!], reason: iss.message };
  if (iss.code === "invalid_key" && iss.issues[0]) return problemOf(iss.issues[0], path);
  if (iss.code === "invalid_union" && iss.errors.length > 0) {
    // deepest first problem wins; at equal depth a branch of the value's type, else the last branch
    const firsts = iss.errors.map((e) => e[0]).filter((e) => e !== undefined);
    const mismatch = (e: z.core.$ZodIssue) => e.code === "invalid_type" || e.code === "invalid_value";
    const rank = (e: z.core.$ZodIssue) => 2 * e.path.length + (mismatch(e) ? 0 : 1);
    const best = firsts.reduce((a, b) => (rank(b) >= rank(a) ? b : a));
    return problemOf(best, path);
  }
  return { path, reason: iss.message };
}
