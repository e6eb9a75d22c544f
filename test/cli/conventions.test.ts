/**
 * The CLI's conventions (issue 12): --version, help COMMAND, "did you mean" for commands, options
 * and choices, one-line usage errors (exit 2), one placeholder per option, --json and --quiet on
 * every command, help lines that fit, colour only on a terminal and never with NO_COLOR.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  commandHelp,
  editDistance,
  HELP_WIDTH,
  placeholder,
  suggest,
  usageLines,
  type Command,
} from "../../pipeline/command.ts";
import { COMMANDS, VERSION } from "../../pipeline/cli.ts";
import { colorEnabled, paint } from "../../pipeline/terminal.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";

const loaded = async (): Promise<Command[]> => Promise.all(COMMANDS.map((c) => c.load()));
const FIXTURES = join(REPO_ROOT, "test", "profile", "fixtures");

describe("version and help", () => {
  it("--version and -V print package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    for (const flag of ["--version", "-V"]) {
      const r = await runCli(flag);
      expect(r).toEqual({ code: 0, out: `sandmine ${pkg.version}\n`, err: "" });
    }
  });

  it("sandmine help COMMAND is COMMAND --help; sandmine help lists every command", async () => {
    for (const entry of COMMANDS) {
      const a = await runCli("help", entry.name);
      const b = await runCli(entry.name, "--help");
      expect(a.code).toBe(0);
      expect(a.out).toBe(b.out);
      expect(a.out).toBe(commandHelp(await entry.load()) + "\n");
    }
    const top = await runCli("help");
    expect(top.code).toBe(0);
    for (const entry of COMMANDS) expect(top.out).toContain(`  ${entry.name}`);
    expect(top.out).toContain("--version, -V");
    expect((await runCli()).code).toBe(2); // no command: the help, as a usage error
  });

  it("help lines are at most HELP_WIDTH wide and a space separates every label from its text", async () => {
    for (const c of await loaded()) {
      const help = commandHelp(c);
      for (const line of help.split("\n")) expect(line.length, line).toBeLessThanOrEqual(HELP_WIDTH);
      for (const line of help.split("\n").filter((l) => l.startsWith("  --"))) {
        expect(line, line).toMatch(/^ {2}\S.*?(\s{2,}\S|$)/);
      }
      // option texts do not run words together: a list in words is written "a, b, c" (validate
      // --only said "enforce,complain,probes,…"); paths in braces are not words
      for (const [name, spec] of Object.entries(c.options)) {
        const text = spec.description.replace(/\{[^}]*\}|\[[^\]]*\]|'[^']*'/g, "");
        expect(text, `${c.name} --${name}`).not.toMatch(/[a-z]{3,},[a-z]{3,},[a-z]{3,}/);
      }
    }
  });
});

describe("did you mean", () => {
  it("edit distance counts a swap of neighbours as one", () => {
    expect(editDistance("ouput", "out")).toBe(2);
    expect(editDistance("chekc", "check")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(suggest("ouput", ["out", "image", "run"])).toEqual(["out"]);
    expect(suggest("output", ["out", "image"])).toEqual(["out"]); // a prefix counts as one edit
    expect(suggest("xyzzy", ["out", "image"])).toEqual([]);
    expect(
      suggest(
        "v",
        ["--version", "-V", "-h"].map((s) => s.replace(/^-+/, "")),
      ),
    ).toEqual(["V"]);
  });

  it("an unknown option: one line with what was meant, exit 2", async () => {
    const r = await runCli("ingest", "--ouput", "x");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      "sandmine ingest: unknown option --ouput (did you mean --out?); see sandmine ingest --help\n",
    );
    const far = await runCli("coverage", "ds", "--frobnicate");
    expect(far.err).toBe("sandmine coverage: unknown option --frobnicate; see sandmine coverage --help\n");
    const single = await runCli("ingest", "-out", "x");
    expect(single.err).toBe(
      "sandmine ingest: unknown option -out (did you mean --out?); see sandmine ingest --help\n",
    );
  });

  it("an unknown command: one line with what was meant, exit 2", async () => {
    const r = await runCli("ingset");
    expect(r).toEqual({
      code: 2,
      out: "",
      err: "sandmine: unknown command ingset (did you mean ingest?); see sandmine --help\n",
    });
    expect((await runCli("help", "chek")).err).toBe(
      "sandmine: unknown command chek (did you mean check?); see sandmine --help\n",
    );
    expect((await runCli("--verison")).err).toBe(
      "sandmine: unknown option --verison (did you mean --version?); see sandmine --help\n",
    );
  });

  it("a value missing, a flag given a value, a mistyped choice: one line each", async () => {
    expect((await runCli("ingest", "--out")).err).toBe(
      "sandmine ingest: --out needs a value (DATASET); see sandmine ingest --help\n",
    );
    expect((await runCli("ingest", "x", "--out", "--json")).err).toBe(
      "sandmine ingest: --out needs a value (DATASET); see sandmine ingest --help\n",
    );
    expect((await runCli("ingest", "x", "-o")).err).toBe(
      "sandmine ingest: -o (--out) needs a value (DATASET); see sandmine ingest --help\n",
    );
    expect((await runCli("diff", "a", "b", "--json=yes")).err).toBe(
      "sandmine diff: --json takes no value (got --json=yes); see sandmine diff --help\n",
    );
    const choice = await runCli("coverage", "ds", "--unit", "tset");
    expect(choice.code).toBe(2);
    expect(choice.err).toBe(
      "sandmine coverage: --unit must be one of auto, run, test (got tset; did you mean test?)\n",
    );
    const list = await runCli("synthesize", "ds", "--out", "p.json", "--format", "docker,ocl");
    expect(list.err).toBe(
      "sandmine synthesize: --format ocl: expected one of docker, oci, k8s; did you mean oci?\n",
    );
  });

  it("--name=value, -oVALUE, grouped flags and -- parse as before", async () => {
    const r = await runCli("ingest", "--out=", "-q");
    expect(r.err).toMatch(/nothing to ingest/); // --out= is an empty value, not a missing one
    const s = await runCli("coverage", "-q", "--", "--not-an-option");
    expect(s.err).toMatch(/--not-an-option/); // a positional after --: the dataset it names is missing
  });
});

describe("one placeholder per option", () => {
  it("the synopsis, the option list, the forms and the texts use each option's placeholder", async () => {
    for (const c of await loaded()) {
      const usage = usageLines(c).join(" ");
      const help = commandHelp(c);
      const texts = [c.summary, ...c.forms, ...Object.values(c.options).map((s) => s.description)].join(" ");
      for (const [name, spec] of Object.entries(c.options)) {
        const value = placeholder(spec);
        const word = value === undefined ? `--${name}` : `--${name} ${value}`;
        expect(usage, `${c.name} synopsis`).toContain(word);
        expect(help, `${c.name} options`).toContain(value === undefined ? `--${name}` : ` ${value}`);
        // wherever another text names the option with a value, it is this placeholder
        for (const m of texts.matchAll(
          new RegExp(`--${name} ([A-Z][A-Z_.]*|[a-z0-9_|]+)(?=[\\s,;)]|$)`, "g"),
        )) {
          if (value !== undefined && /^[A-Z]/.test(m[1]!)) expect(m[1], `${c.name}: ${m[0]}`).toBe(value);
        }
      }
    }
  });
});

describe("--json and --quiet everywhere", () => {
  it("every command that prints results takes --json; every command takes --quiet/-q", async () => {
    for (const c of await loaded()) {
      expect(c.options.quiet, c.name).toMatchObject({ type: "boolean", short: "q" });
      if (c.name !== "completion") expect(c.options.json?.type, c.name).toBe("boolean");
    }
  });
});

describe("colour", () => {
  const saved = { tty: process.stdout.isTTY, no: process.env.NO_COLOR, term: process.env.TERM };
  afterEach(() => {
    process.stdout.isTTY = saved.tty;
    if (saved.no === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved.no;
    if (saved.term === undefined) delete process.env.TERM;
    else process.env.TERM = saved.term;
  });

  it("only on a terminal, never with NO_COLOR or TERM=dumb", () => {
    delete process.env.NO_COLOR;
    process.env.TERM = "xterm";
    expect(colorEnabled({ isTTY: true })).toBe(true);
    expect(colorEnabled({ isTTY: false })).toBe(false);
    expect(colorEnabled({})).toBe(false);
    expect(paint({ isTTY: true }).red("x")).toBe("\x1b[31mx\x1b[0m");
    process.env.NO_COLOR = "1";
    expect(colorEnabled({ isTTY: true })).toBe(false);
    expect(paint({ isTTY: true }).red("x")).toBe("x");
    process.env.NO_COLOR = ""; // no-color.org: an empty NO_COLOR does not count
    expect(colorEnabled({ isTTY: true })).toBe(true);
    process.env.TERM = "dumb";
    expect(colorEnabled({ isTTY: true })).toBe(false);
  });

  it("a command's output: coloured on a terminal, plain with NO_COLOR and when not a terminal", async () => {
    const a = join(FIXTURES, "oci-seccomp-bpf-hook.out");
    const b = join(FIXTURES, "spo-recorder-v1.yaml");
    delete process.env.NO_COLOR;
    process.env.TERM = "xterm";
    process.stdout.isTTY = true;
    const tty = await runCli("diff", a, b);
    expect(tty.code).toBe(1);
    expect(tty.out).toContain("\x1b[");
    process.env.NO_COLOR = "1";
    const no = await runCli("diff", a, b);
    expect(no.out).not.toContain("\x1b");
    expect(no.out).toBe(tty.out.replace(/\x1b\[\d+m/g, ""));
    delete process.env.NO_COLOR;
    process.stdout.isTTY = false;
    expect((await runCli("diff", a, b)).out).toBe(no.out);
    process.stdout.isTTY = true;
    expect((await runCli("diff", a, b, "--json")).out).not.toContain("\x1b");
  });
});
