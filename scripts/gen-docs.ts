/**
 * `npm run gen:docs`: writes the command reference from the command definitions
 * (pipeline/commands/*.ts, through the registry in pipeline/cli.ts) into the marked regions of
 * docs/commands.md (one per command) and README.md (the command table).
 * `--check` (part of `npm run check`) writes nothing and fails when a region differs from what the
 * definitions give, or docs/commands.md lacks a command's region.
 *
 * A region is the text between `<!-- BEGIN GENERATED: ID -->` and `<!-- END GENERATED: ID -->`;
 * everything outside the regions is hand-written and left as it is.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { COMMANDS } from "../pipeline/cli.ts";
import {
  CLI_OPTIONS,
  defaultText,
  optionLabel,
  usageLines,
  type Command,
  type OptionSpec,
} from "../pipeline/command.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const REFERENCE = "docs/commands.md";
const README = "README.md";

/** A table cell: pipes escaped, line breaks joined. */
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function optionRow(name: string, spec: OptionSpec): string {
  const required = spec.type === "string" && spec.required === true;
  const d = defaultText(spec);
  const shown = required ? "required" : d === undefined ? "" : `\`${cell(d)}\``;
  return `| \`${cell(optionLabel(name, spec))}\` | ${shown} | ${cell(spec.description)} |`;
}

/** One command's synopsis, summary and option table. */
export function commandReference(c: Command): string {
  return [
    "```sh",
    ...usageLines(c),
    "```",
    "",
    c.summary.replace(/\n/g, " "),
    "",
    "| option | default | description |",
    "|---|---|---|",
    ...Object.entries(c.options).map(([name, spec]) => optionRow(name, spec)),
    ...CLI_OPTIONS.map((o) => `| \`${cell(o.label)}\` | | ${cell(o.description)} |`),
  ].join("\n");
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");

/** The anchor of the section of docs/commands.md that holds each command's region. */
function anchors(reference: string, commands: readonly { name: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of commands) {
    const at = reference.indexOf(begin(`command ${c.name}`));
    const heading = at < 0 ? undefined : [...reference.slice(0, at).matchAll(/^## (.+)$/gm)].pop()?.[1];
    out.set(c.name, heading === undefined ? c.name : slug(heading));
  }
  return out;
}

/**
 * The one-screen table of every command, linking to its section of the reference (`link`: the
 * path of docs/commands.md from the file the table is in).
 */
export function commandTable(
  commands: readonly { name: string; brief: string }[],
  link: string,
  anchorOf: ReadonlyMap<string, string>,
): string {
  return [
    "| command | what it does |",
    "|---|---|",
    ...commands.map(
      (c) => `| [\`${c.name}\`](${link}#${anchorOf.get(c.name) ?? c.name}) | ${cell(c.brief)} |`,
    ),
  ].join("\n");
}

const begin = (id: string): string => `<!-- BEGIN GENERATED: ${id} (npm run gen:docs) -->`;
const end = (id: string): string => `<!-- END GENERATED: ${id} -->`;

/** `text` with region `id` replaced by `body`; null when the file has no such region. */
function replaceRegion(text: string, id: string, body: string): string | null {
  const b = text.indexOf(begin(id));
  const e = text.indexOf(end(id));
  if (b < 0 || e < b) return null;
  return text.slice(0, b) + `${begin(id)}\n${body}\n${end(id)}` + text.slice(e + end(id).length);
}

async function regions(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of COMMANDS) {
    const c = await entry.load();
    if (c.name !== entry.name)
      throw new Error(`cli.ts lists ${entry.name}, its definition is named ${c.name}`);
    out.set(`command ${c.name}`, commandReference(c));
  }
  return out;
}

/** Regenerates the files (or, with `check`, compares); returns the problems found. */
export async function generate(check: boolean): Promise<string[]> {
  const problems: string[] = [];
  const all = await regions();
  const referencePath = join(ROOT, REFERENCE);
  const anchorOf = anchors(existsSync(referencePath) ? readFileSync(referencePath, "utf8") : "", COMMANDS);
  for (const file of [REFERENCE, README]) {
    const path = join(ROOT, file);
    if (!existsSync(path)) {
      problems.push(`${file}: missing`);
      continue;
    }
    const before = readFileSync(path, "utf8");
    let text = before;
    const table = commandTable(COMMANDS, file === REFERENCE ? "" : REFERENCE, anchorOf);
    for (const [id, body] of new Map([["command-table", table], ...all])) {
      const next = replaceRegion(text, id, body);
      if (next !== null) text = next;
      else if (file === REFERENCE && id !== "command-table") problems.push(`${file}: no region for ${id}`);
    }
    if (text === before) continue;
    if (check) problems.push(`${file}: out of date with the command definitions (run npm run gen:docs)`);
    else writeFileSync(path, text);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await generate(process.argv.includes("--check"));
  for (const p of problems) process.stderr.write(`gen:docs: ${p}\n`);
  process.exitCode = problems.length ? 1 : 0;
}
