/**
 * A small declarative schema for YAML documents (experiments): each shape checks a value and reports the first
 * problem with its path in the document (`tests[2].expect.status`). Pure; the caller turns the
 * path into a line number.
 */

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

/** A shape turns an unknown value into a typed one, or throws ShapeError. */
export type Shape<T> = (v: unknown, path: Path) => T;

const kind = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : typeof v;

export const str =
  (opts: { pattern?: RegExp; what?: string } = {}): Shape<string> =>
  (v, path) => {
    if (typeof v !== "string" || v === "")
      throw new ShapeError(path, `expected a non-empty string, got ${kind(v)}`);
    if (opts.pattern && !opts.pattern.test(v))
      throw new ShapeError(path, `${JSON.stringify(v)} is not ${opts.what ?? `matching ${opts.pattern}`}`);
    return v;
  };

export const int =
  (opts: { min?: number; max?: number } = {}): Shape<number> =>
  (v, path) => {
    if (typeof v !== "number" || !Number.isInteger(v))
      throw new ShapeError(path, `expected an integer, got ${kind(v)}`);
    if (opts.min !== undefined && v < opts.min)
      throw new ShapeError(path, `must be at least ${opts.min}, got ${v}`);
    if (opts.max !== undefined && v > opts.max)
      throw new ShapeError(path, `must be at most ${opts.max}, got ${v}`);
    return v;
  };

export const num =
  (opts: { min?: number } = {}): Shape<number> =>
  (v, path) => {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new ShapeError(path, `expected a number, got ${kind(v)}`);
    if (opts.min !== undefined && v < opts.min)
      throw new ShapeError(path, `must be at least ${opts.min}, got ${v}`);
    return v;
  };

export const bool: Shape<boolean> = (v, path) => {
  if (typeof v !== "boolean") throw new ShapeError(path, `expected true or false, got ${kind(v)}`);
  return v;
};

export const oneOf =
  <T extends string>(values: readonly T[]): Shape<T> =>
  (v, path) => {
    if (typeof v !== "string" || !values.includes(v as T))
      throw new ShapeError(path, `expected one of ${values.join(", ")}, got ${JSON.stringify(v)}`);
    return v as T;
  };

/** A regular expression given as a string; compiled here so a bad one is reported with its path. */
export const regex: Shape<string> = (v, path) => {
  const s = str()(v, path);
  try {
    new RegExp(s, "m");
  } catch (e) {
    throw new ShapeError(path, `not a valid regular expression (${(e as Error).message})`);
  }
  return s;
};

export const list =
  <T>(item: Shape<T>, opts: { min?: number } = {}): Shape<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) throw new ShapeError(path, `expected a list, got ${kind(v)}`);
    if (opts.min !== undefined && v.length < opts.min)
      throw new ShapeError(path, `expected at least ${opts.min} item(s), got ${v.length}`);
    return v.map((x, i) => item(x, [...path, i]));
  };

/** A string, or a list of strings (an argv). */
export const argv: Shape<string[]> = (v, path) =>
  typeof v === "string" ? [str()(v, path)] : list(str(), { min: 1 })(v, path);

export const record =
  <T>(value: Shape<T>, key: Shape<string> = str()): Shape<Record<string, T>> =>
  (v, path) => {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw new ShapeError(path, `expected a mapping, got ${kind(v)}`);
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) out[key(k, [...path, k])] = value(x, [...path, k]);
    return out;
  };

type Fields = Record<string, { shape: Shape<unknown>; required: boolean }>;
type Out<F extends Fields> = {
  [K in keyof F as F[K]["required"] extends true ? K : never]: ReturnType<F[K]["shape"]>;
} & {
  [K in keyof F as F[K]["required"] extends true ? never : K]?: ReturnType<F[K]["shape"]>;
};

export const req = <T>(shape: Shape<T>) => ({ shape, required: true as const });
export const opt = <T>(shape: Shape<T>) => ({ shape, required: false as const });

/** A mapping with known keys; unknown keys are errors (typos must not pass silently). */
export const obj =
  <F extends Fields>(fields: F): Shape<Out<F>> =>
  (v, path) => {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw new ShapeError(path, `expected a mapping, got ${kind(v)}`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!(k in fields))
        throw new ShapeError([...path, k], `unknown key (expected one of ${Object.keys(fields).join(", ")})`);
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(fields)) {
      if (o[k] === undefined || o[k] === null) {
        if (f.required) throw new ShapeError([...path, k], "required");
        continue;
      }
      out[k] = f.shape(o[k], [...path, k]);
    }
    return out as Out<F>;
  };

/** Exactly one of the given keys must be present (e.g. a command runs in the container or on the host). */
export const exactlyOne =
  <T>(keys: string[], inner: Shape<T>): Shape<T> =>
  (v, path) => {
    const out = inner(v, path) as Record<string, unknown>;
    const present = keys.filter((k) => out[k] !== undefined);
    if (present.length !== 1)
      throw new ShapeError(
        path,
        `give exactly one of ${keys.join(", ")} (got ${present.length === 0 ? "none" : present.join(", ")})`,
      );
    return out as T;
  };
