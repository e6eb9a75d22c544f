/**
 * Command definitions: each command declares its options once (name, type, placeholder, default,
 * description) and `defineCommand` derives from that spec the type of the options `run` gets, the
 * parsing and checking of every value (numbers, lists and enums are checked here, with a one-line
 * error naming the option), the help text and the command reference (scripts/gen-docs.ts).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { messageOf, UsageError } from "./errors.ts";

interface BaseOption {
  description: string;
  /** one-letter alias (`-o`) */
  short?: string;
}

/** A free-form value (`--image NAME`); `multiple` options may be repeated and give a list. */
export interface StringOption extends BaseOption {
  type: "string";
  placeholder: string;
  default?: string;
  required?: boolean;
  multiple?: boolean;
}

/** A flag (`--json`). */
export interface BooleanOption extends BaseOption {
  type: "boolean";
  default?: boolean;
}

/** A number within [min, max]; `integer: "round"` rounds instead of refusing a fraction. */
export interface NumberOption extends BaseOption {
  type: "number";
  placeholder: string;
  default?: number;
  min?: number;
  max?: number;
  integer?: boolean | "round";
}

/** A comma-separated list; with `choices`, every item must be one of them (duplicates dropped). */
export interface ListOption extends BaseOption {
  type: "list";
  placeholder: string;
  choices?: readonly string[];
  default?: readonly string[];
}

/** One of a fixed set of words (`--unit auto|run|test`). */
export interface EnumOption extends BaseOption {
  type: "enum";
  choices: readonly string[];
  default?: string;
}

export type OptionSpec = StringOption | BooleanOption | NumberOption | ListOption | EnumOption;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** `max-p-new` → `maxPNew`. */
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

type ValueOf<S extends OptionSpec> = S extends BooleanOption
  ? boolean
  : S extends NumberOption
    ? number
    : S extends { type: "string"; multiple: true }
      ? string[]
      : S extends StringOption
        ? string
        : S extends { type: "list"; choices: readonly (infer C)[] }
          ? C[]
          : S extends ListOption
            ? string[]
            : S extends { type: "enum"; choices: readonly (infer C)[] }
              ? C
              : never;

/** Whether the option always has a value (a default, or it is required). */
type Always<S extends OptionSpec> = S extends { default: unknown }
  ? true
  : S extends { required: true }
    ? true
    : false;

/** The options `run` receives: camelCase names, each typed by its spec. */
export type OptionValues<O extends OptionSpecs> = {
  -readonly [K in keyof O & string as Camel<K>]: Always<O[K]> extends true
    ? ValueOf<O[K]>
    : ValueOf<O[K]> | undefined;
};

/** What a command module declares. */
export interface CommandDefinition<O extends OptionSpecs> {
  name: string;
  /** what the command does (first line: one sentence); shown in its help and the reference */
  summary: string;
  /** the positional arguments in the synopsis, e.g. `DATASET` or `PATH...` */
  args: string;
  /** further synopsis lines (other forms of the command), without `sandmine ` */
  forms?: readonly string[];
  options: O;
  run(options: OptionValues<O>, positionals: string[]): Promise<number>;
}

/** A command with its options erased: what the CLI, the help and the reference generator use. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly args: string;
  readonly forms: readonly string[];
  readonly options: OptionSpecs;
  /** parses `argv` (after the command name), checks every option and runs the command */
  execute(argv: readonly string[]): Promise<number>;
}

/** Declares a command; its `run` gets options typed and checked by the spec. */
export function defineCommand<const O extends OptionSpecs>(def: CommandDefinition<O>): Command {
  for (const [name, spec] of Object.entries(def.options)) checkSpec(def.name, name, spec);
  return {
    name: def.name,
    summary: def.summary,
    args: def.args,
    forms: def.forms ?? [],
    options: def.options,
    async execute(argv) {
      const { values, positionals } = parseArgv(this, argv);
      // the one place the spec's types meet the parsed values: optionValues checks each by its spec
      return def.run(optionValues(def.options, values) as OptionValues<O>, positionals);
    },
  };
}

/** The one positional argument a command takes; a usage error naming it (`what`) otherwise. */
export function exactlyOne(positionals: readonly string[], what: string): string {
  const [only] = positionals;
  if (positionals.length !== 1 || only === undefined) throw new UsageError(`give exactly one ${what}`);
  return only;
}

/** A default that is not one of the choices is a mistake in the definition, caught when it loads. */
function checkSpec(command: string, name: string, spec: OptionSpec): void {
  const choices = spec.type === "enum" || spec.type === "list" ? spec.choices : undefined;
  const defaults =
    spec.type === "enum" && spec.default !== undefined
      ? [spec.default]
      : spec.type === "list"
        ? (spec.default ?? [])
        : [];
  for (const d of defaults) {
    if (choices && !choices.includes(d))
      throw new Error(`${command} --${name}: default ${d} is not one of its choices`);
  }
}

type RawValue = string | boolean | (string | boolean)[] | undefined;

function parseArgv(c: Command, argv: readonly string[]) {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, spec] of Object.entries(c.options)) {
    options[name] = {
      type: spec.type === "boolean" ? "boolean" : "string",
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.type === "string" && spec.multiple ? { multiple: true } : {}),
    };
  }
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${messageOf(e)}\n\n${commandHelp(c)}`);
  }
}

/** The checked value of every option (by camelCase name); a bad value is a UsageError naming it. */
function optionValues(specs: OptionSpecs, raw: Readonly<Record<string, RawValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const given = raw[name];
    // booleans and repeated strings come from parseArgs as they are
    out[camel(name)] =
      given === undefined
        ? missing(name, spec)
        : typeof given === "string"
          ? convert(name, spec, given)
          : given;
  }
  return out;
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function missing(name: string, spec: OptionSpec): unknown {
  if (spec.type === "string" && spec.required) {
    throw new UsageError(`--${name} ${spec.placeholder} is required`);
  }
  return spec.type === "list" && spec.default ? [...spec.default] : spec.default;
}

function convert(name: string, spec: OptionSpec, given: string): unknown {
  switch (spec.type) {
    case "number":
      return toNumber(name, spec, given);
    case "enum":
      if (!spec.choices.includes(given)) {
        throw new UsageError(`--${name} must be one of ${spec.choices.join(", ")} (got ${given})`);
      }
      return given;
    case "list":
      return toList(name, spec, given);
    default:
      return given;
  }
}

/** `an integer from 1 to 256`, `a number from 0 to 1`, `an integer of at least 4096`. */
export function numberRange(spec: NumberOption): string {
  const what = spec.integer === true ? "an integer" : "a number";
  if (spec.min !== undefined && spec.max !== undefined) return `${what} from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `${what} of at least ${spec.min}`;
  if (spec.max !== undefined) return `${what} of at most ${spec.max}`;
  return what;
}

function toNumber(name: string, spec: NumberOption, given: string): number {
  const n = given.trim() === "" ? NaN : Number(given);
  const bad =
    !Number.isFinite(n) ||
    (spec.integer === true && !Number.isInteger(n)) ||
    (spec.min !== undefined && n < spec.min) ||
    (spec.max !== undefined && n > spec.max);
  if (bad) throw new UsageError(`--${name} must be ${numberRange(spec)} (got ${given})`);
  return spec.integer === "round" ? Math.round(n) : n;
}

function toList(name: string, spec: ListOption, given: string): string[] {
  const items = given
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!spec.choices) return items;
  for (const i of items) {
    if (!spec.choices.includes(i)) {
      throw new UsageError(`--${name} ${i}: expected one of ${spec.choices.join(", ")}`);
    }
  }
  if (items.length === 0) throw new UsageError(`--${name}: give at least one of ${spec.choices.join(", ")}`);
  return [...new Set(items)];
}

/** The value word shown after an option: its placeholder, or the choices of an enum. */
export function placeholder(spec: OptionSpec): string | undefined {
  if (spec.type === "boolean") return undefined;
  if (spec.type === "enum") return spec.choices.join("|");
  return spec.placeholder;
}

/** The default as shown in help and the reference, if there is one. */
export function defaultText(spec: OptionSpec): string | undefined {
  if (spec.default === undefined || spec.default === false) return undefined;
  return Array.isArray(spec.default) ? spec.default.join(",") : String(spec.default);
}

/** `--out DATASET`, `[--image NAME]`, `[--profile FILE]...`, `[--json]`. */
function synopsisWord(name: string, spec: OptionSpec): string {
  const value = placeholder(spec);
  const word = value === undefined ? `--${name}` : `--${name} ${value}`;
  if (spec.type === "string" && spec.required) return word;
  return spec.type === "string" && spec.multiple ? `[${word}]...` : `[${word}]`;
}

/** The command's synopsis lines as words, without `sandmine`: every option, then the other forms. */
export function synopsisWords(c: Command): string[][] {
  const options = Object.entries(c.options).map(([name, spec]) => synopsisWord(name, spec));
  return [[c.name, c.args, ...options].filter(Boolean), ...c.forms.map((f) => f.split(" "))];
}

/** The command's synopsis lines, without `sandmine `. */
export const synopsis = (c: Command): string[] => synopsisWords(c).map((w) => w.join(" "));

/** `--out, -o DATASET`. */
export function optionLabel(name: string, spec: OptionSpec): string {
  const value = placeholder(spec);
  return `--${name}${spec.short ? `, -${spec.short}` : ""}${value === undefined ? "" : ` ${value}`}`;
}

/** The description with what the spec adds: required, or the default. */
export function optionText(spec: OptionSpec): string {
  if (spec.type === "string" && spec.required) return `${spec.description} (required)`;
  const d = defaultText(spec);
  return d === undefined ? spec.description : `${spec.description} (default ${d})`;
}

/** `words` joined into lines of at most `width` characters, continuation lines indented. */
function wrapWords(words: readonly string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + w.length <= width) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(last === undefined ? w : indent + w);
  }
  return lines;
}

/** The synopsis as printed: `sandmine NAME …` lines of at most 93 characters, continuations indented. */
export function usageLines(c: Command): string[] {
  const indent = " ".repeat(`sandmine ${c.name} `.length);
  return synopsisWords(c).flatMap((words) => wrapWords(["sandmine", ...words], 93, indent));
}

/** `sandmine <command> --help`. */
export function commandHelp(c: Command): string {
  const lines = usageLines(c).map((l, i) => (i === 0 ? "usage: " : "       ") + l);
  lines.push("", c.summary, "", "options:");
  for (const [name, spec] of Object.entries(c.options)) {
    const label = `  ${optionLabel(name, spec)}`;
    lines.push(
      label.length > 28
        ? `${label}\n${" ".repeat(30)}${optionText(spec)}`
        : label.padEnd(30) + optionText(spec),
    );
  }
  return lines.join("\n");
}
