/**
 * Command definitions: each command declares its options once (name, type, placeholder, default,
 * description) and `defineCommand` derives from that spec the type of the options `run` gets, the
 * parsing and checking of every value (numbers, lists and enums are checked here, with a one-line
 * error naming the option and, for a typo, what was meant), the help text, the shell completion
 * (commands/completion.ts) and the command reference (scripts/gen-docs.ts).
 */
import { UsageError } from "./errors.ts";

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

/** `--workers N` (1–256; default: the number of cores), its description saying of what. */
export function workersOption(description: string) {
  return {
    type: "number",
    placeholder: "N",
    integer: true,
    min: 1,
    max: 256,
    description,
  } as const satisfies NumberOption;
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

/**
 * Options every command takes besides its own (listed in its help, synopsis and reference).
 * `--help`/`-h` and `--debug` are taken by the CLI before the command parses its arguments.
 */
export const COMMON_OPTIONS = {
  quiet: {
    type: "boolean",
    short: "q",
    default: false,
    description: "no progress output: only results and errors",
  },
} as const satisfies OptionSpecs;

/** The options the CLI itself takes (before a command, or anywhere for --help and --debug). */
export const CLI_OPTIONS: readonly { label: string; description: string }[] = [
  { label: "--help, -h", description: "this help" },
  { label: "--debug", description: "stack traces (and the SQL of a failed query) on errors" },
];

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
  run(options: OptionValues<O & typeof COMMON_OPTIONS>, positionals: string[]): Promise<number>;
}

/** A command with its options erased: what the CLI, the help and the reference generator use. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly args: string;
  readonly forms: readonly string[];
  /** its own options, then COMMON_OPTIONS */
  readonly options: OptionSpecs;
  /** parses `argv` (after the command name), checks every option and runs the command */
  execute(argv: readonly string[]): Promise<number>;
}

/** A command as the CLI lists it: name, one line, and its definition (loaded when run). */
export interface CommandEntry {
  name: string;
  brief: string;
  load(): Promise<Command>;
}

/** Declares a command; its `run` gets options typed and checked by the spec. */
export function defineCommand<const O extends OptionSpecs>(def: CommandDefinition<O>): Command {
  for (const name of Object.keys(def.options)) {
    if (name in COMMON_OPTIONS) throw new Error(`${def.name} --${name}: every command has it already`);
  }
  const options: OptionSpecs = { ...def.options, ...COMMON_OPTIONS };
  const shorts = new Set<string>();
  for (const [name, spec] of Object.entries(options)) {
    checkSpec(def.name, name, spec);
    if (spec.short === undefined) continue;
    if (shorts.has(spec.short) || spec.short === "h" || spec.short === "V")
      throw new Error(`${def.name} --${name}: -${spec.short} is taken`);
    shorts.add(spec.short);
  }
  return {
    name: def.name,
    summary: def.summary,
    args: def.args,
    forms: def.forms ?? [],
    options,
    async execute(argv) {
      const { values, positionals } = parseArgv(this, argv);
      // the one place the spec's types meet the parsed values: optionValues checks each by its spec
      const checked = optionValues(options, values) as OptionValues<O & typeof COMMON_OPTIONS>;
      return def.run(checked, positionals);
    },
  };
}

/**
 * A log of a long command's steps on stderr (`record: …`); with `--quiet` only the lines that say
 * something failed.
 */
export function stepLog(command: string, quiet: boolean): (line: string) => void {
  return (line) => {
    if (!quiet || /\bfail(ed|s)?\b|\berror\b/i.test(line)) process.stderr.write(`${command}: ${line}\n`);
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

type RawValue = string | boolean | string[] | undefined;

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * What `word` was probably meant to be: the candidates nearest to it (edit distance up to a third
 * of its length, at least 1 and at most 3; a candidate of 3 or more letters that one is the start
 * of the other counts as 1), the nearest first, at most 3; none when nothing is near.
 */
export function suggest(word: string, candidates: readonly string[]): string[] {
  const sameLetters = candidates.filter((c) => c !== word && c.toLowerCase() === word.toLowerCase());
  if (sameLetters.length) return sameLetters.slice(0, 3);
  const limit = Math.min(3, Math.max(1, Math.ceil(word.length / 3)));
  const scored = candidates
    .filter((c) => c !== word)
    .map((c) => {
      const prefix = Math.min(c.length, word.length) >= 3 && (c.startsWith(word) || word.startsWith(c));
      return { c, d: prefix ? 1 : editDistance(word, c) };
    })
    .filter((x) => x.d <= limit);
  const best = Math.min(...scored.map((x) => x.d));
  return scored
    .filter((x) => x.d === best)
    .map((x) => x.c)
    .slice(0, 3);
}

/** `did you mean --out?`, `did you mean run or test?`; undefined when nothing is near. */
export function meant(word: string, candidates: readonly string[], prefix = ""): string | undefined {
  const near = suggest(word, candidates).map((c) => prefix + c);
  const last = near.pop();
  if (last === undefined) return undefined;
  return `did you mean ${near.length ? `${near.join(", ")} or ${last}` : last}?`;
}

/** ` (did you mean --out?)`, or "" when nothing is near. */
function didYouMean(word: string, candidates: readonly string[], prefix = ""): string {
  const m = meant(word, candidates, prefix);
  return m === undefined ? "" : ` (${m})`;
}

/** A word that reads as an option rather than a value (`-x`, `--name`; not `-` or `-1`). */
const optionLike = (s: string): boolean => s.length > 1 && s.startsWith("-") && !/^-\d/.test(s);

/**
 * Splits `argv` into option values (by option name) and positionals: `--name VALUE`,
 * `--name=VALUE`, `-x VALUE`, `-xVALUE`, grouped flags (`-qx`), `--` ending the options. A string
 * option repeated keeps its last value unless it is `multiple`. Anything wrong is one line naming
 * the option (and what was probably meant) and pointing at the command's help.
 */
function parseArgv(c: Command, argv: readonly string[]) {
  const values: Record<string, RawValue> = {};
  const positionals: string[] = [];
  const fail = (message: string): never => {
    throw new UsageError(`${message}; see sandmine ${c.name} --help`);
  };
  const names = Object.keys(c.options);
  const byShort = new Map(
    Object.entries(c.options).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])),
  );
  const set = (name: string, spec: OptionSpec, value: string): void => {
    const before = values[name];
    values[name] =
      spec.type === "string" && spec.multiple ? [...(Array.isArray(before) ? before : []), value] : value;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      const spec = c.options[name];
      if (spec === undefined) return fail(`unknown option --${name}${didYouMean(name, names, "--")}`);
      if (spec.type === "boolean") {
        if (inline !== undefined) fail(`--${name} takes no value (got ${a})`);
        values[name] = true;
        continue;
      }
      const value = inline ?? argv[i + 1];
      if (value === undefined || (inline === undefined && optionLike(value)))
        return fail(`--${name} needs a value (${placeholder(spec)})`);
      if (inline === undefined) i++;
      set(name, spec, value);
      continue;
    }
    if (!optionLike(a)) {
      positionals.push(a);
      continue;
    }
    // `-out` is a long option with one dash, not -o with the value "ut"
    const single = a.slice(1).split("=")[0]!;
    if (single.length > 1 && c.options[single] !== undefined)
      fail(`unknown option ${a} (did you mean --${single}?)`);
    // one or more short options: -q, -o DATASET, -oDATASET, -qo DATASET
    for (let j = 1; j < a.length; j++) {
      const letter = a[j]!;
      const name = byShort.get(letter);
      if (name === undefined) {
        // `-out` for `--out`: say so; else the letter alone
        const long = a.slice(1).split("=")[0]!;
        const hint = j === 1 && long.length > 1 ? didYouMean(long, names, "--") : "";
        return fail(`unknown option -${j === 1 && hint ? long : letter}${hint}`);
      }
      const spec = c.options[name]!;
      if (spec.type === "boolean") {
        values[name] = true;
        continue;
      }
      const rest = a.slice(j + 1);
      const value = rest !== "" ? rest : argv[i + 1];
      if (value === undefined || (rest === "" && optionLike(value)))
        return fail(`-${letter} (--${name}) needs a value (${placeholder(spec)})`);
      if (rest === "") i++;
      set(name, spec, value);
      break;
    }
  }
  return { values, positionals };
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
        const m = meant(given, spec.choices);
        throw new UsageError(
          `--${name} must be one of ${spec.choices.join(", ")} (got ${given}${m ? `; ${m}` : ""})`,
        );
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
      const m = meant(i, spec.choices);
      throw new UsageError(`--${name} ${i}: expected one of ${spec.choices.join(", ")}${m ? `; ${m}` : ""}`);
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

/** Help lines are at most this wide; option texts start at column HELP_INDENT. */
export const HELP_WIDTH = 100;
const HELP_INDENT = 30;

/** One option of a help listing: the label, then the text wrapped beside it (below a long label). */
export function helpEntry(label: string, text: string): string[] {
  const indent = " ".repeat(HELP_INDENT);
  const body = wrapWords(text.split(" ").filter(Boolean), HELP_WIDTH - HELP_INDENT, "").map(
    (l) => indent + l,
  );
  const head = `  ${label}`;
  if (head.length > HELP_INDENT - 2 || body.length === 0) return [head, ...body];
  return [head.padEnd(HELP_INDENT) + body[0]!.trimStart(), ...body.slice(1)];
}

/** `sandmine <command> --help`. */
export function commandHelp(c: Command): string {
  const lines = usageLines(c).map((l, i) => (i === 0 ? "usage: " : "       ") + l);
  lines.push("", ...wrapWords(c.summary.split(/\s+/).filter(Boolean), HELP_WIDTH, ""), "", "options:");
  for (const [name, spec] of Object.entries(c.options)) {
    lines.push(...helpEntry(optionLabel(name, spec), optionText(spec)));
  }
  for (const o of CLI_OPTIONS) lines.push(...helpEntry(o.label, o.description));
  return lines.join("\n");
}
