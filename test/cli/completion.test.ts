/**
 * `sandmine completion bash|zsh`: scripts generated from the command definitions. The bash script
 * is valid (`bash -n`), names every command and option, and completes what it should when bash
 * runs it; the zsh script names every command and option too.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../pipeline/cli.ts";
import type { Command } from "../../pipeline/command.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";

let tmp: string;
let bash: string;
let zsh: string;
let commands: Command[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-completion-"));
  const b = await runCli("completion", "bash");
  const z = await runCli("completion", "zsh");
  expect(b.code, b.err).toBe(0);
  expect(z.code, z.err).toBe(0);
  bash = b.out;
  zsh = z.out;
  writeFileSync(join(tmp, "sandmine.bash"), bash);
  commands = await Promise.all(COMMANDS.map((c) => c.load()));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What the bash script completes for the words typed (the last one being completed). */
function complete(...words: string[]): string[] {
  const script = [
    `source ${JSON.stringify(join(tmp, "sandmine.bash"))}`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})`,
    "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))",
    "_sandmine",
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const out = execFileSync("bash", ["-c", script], { cwd: REPO_ROOT, encoding: "utf8" });
  return out.split("\n").filter(Boolean);
}

describe("bash completion", () => {
  it("is valid bash (bash -n) and registers itself for sandmine", () => {
    execFileSync("bash", ["-n", join(tmp, "sandmine.bash")]);
    expect(bash).toMatch(/^complete -o filenames -F _sandmine sandmine$/m);
  });

  it("lists every command and every option of each", () => {
    for (const c of commands) {
      expect(bash).toMatch(new RegExp(`^ {4}${c.name}\\)$`, "m"));
      const branch = bash.slice(bash.indexOf(`    ${c.name})`));
      const optionLine = branch.split("\n").find((l) => l.includes("if [[ $cur == -* ]]"))!;
      for (const [name, spec] of Object.entries(c.options)) {
        expect(optionLine, `${c.name} --${name}`).toMatch(new RegExp(`[" ]--${name}[" ]`));
        if (spec.short) expect(optionLine).toContain(`-${spec.short}`);
      }
      for (const flag of ["--help", "-h", "--debug"]) expect(optionLine).toContain(flag);
    }
  });

  it("completes commands, options, choices, list items and help topics", () => {
    expect(complete("sandmine", "")).toEqual([...commands.map((c) => c.name), "help"]);
    expect(complete("sandmine", "ing")).toEqual(["ingest"]);
    expect(complete("sandmine", "--v")).toEqual(["--version"]);
    expect(complete("sandmine", "ingest", "--ou")).toEqual(["--out"]);
    expect(complete("sandmine", "ingest", "--format", "s")).toEqual([
      "strace",
      "sysdig-text",
      "sysdig-json",
      "scap",
    ]);
    expect(complete("sandmine", "ingest", "--format", "=", "sysdig-j")).toEqual(["sysdig-json"]);
    expect(complete("sandmine", "synthesize", "--arch", "x86_64,a")).toEqual(["x86_64,aarch64"]);
    expect(complete("sandmine", "synthesize", "--k8s-version", "")).toEqual(["v1", "v1beta1"]);
    expect(complete("sandmine", "synthesize", "--image", "")).toEqual([]);
    expect(complete("sandmine", "help", "ch")).toEqual(["characterize", "check"]);
    expect(complete("sandmine", "completion", "")).toEqual(["bash", "zsh"]);
    expect(complete("sandmine", "ingest", "--out", "datas")).toEqual(["datasets"]); // a folder
  });
});

describe("zsh completion", () => {
  it("is a compdef function naming every command and option", () => {
    expect(zsh.startsWith("#compdef sandmine\n")).toBe(true);
    for (const entry of COMMANDS) expect(zsh).toContain(`'${entry.name}:`);
    for (const c of commands) {
      const branch = zsh.slice(zsh.indexOf(`        ${c.name})`));
      const end = branch.indexOf(";;");
      const body = branch.slice(0, end);
      for (const [name, spec] of Object.entries(c.options)) {
        expect(body, `${c.name} --${name}`).toMatch(
          spec.short ? new RegExp(`\\{--${name},-${spec.short}\\}`) : new RegExp(`[)*]--${name}\\[`),
        );
      }
    }
  });

  it("a shell other than bash or zsh is a usage error", async () => {
    const r = await runCli("completion", "fish");
    expect(r.code).toBe(2);
    expect(r.err).toBe("sandmine completion: give bash or zsh (got fish)\n");
  });
});
