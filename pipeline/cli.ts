/**
 * The `sandmine` command line: subcommands with their own options and generated help.
 * Exit status: 0 success, 1 a check failed, 2 bad usage or unreadable input.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.ts";
import { QueryError } from "./duckdb.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** One subcommand: its options (with descriptions) and what it does. */
export interface Command {
  summary: string;
  usage: string;
  options: Options;
  describe: Record<string, string>;
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  ingest: async () => (await import("./commands/ingest.ts")).ingestCommand,
  characterize: async () => (await import("./commands/characterize.ts")).characterizeCommand,
  coverage: async () => (await import("./commands/coverage.ts")).coverageCommand,
  report: async () => (await import("./commands/report.ts")).reportCommand,
  synthesize: async () => (await import("./commands/synthesize.ts")).synthesizeCommand,
  record: async () => (await import("./commands/record.ts")).recordCommand,
  validate: async () => (await import("./commands/validate.ts")).validateCommand,
  check: async () => (await import("./commands/check.ts")).checkCommand,
  diff: async () => (await import("./commands/diff.ts")).diffCommand,
};

function help(): string {
  return [
    "sandmine: mine seccomp sandboxes for Linux containers from recorded system-call captures",
    "",
    "usage: sandmine <command> [options]   (sandmine <command> --help for its options)",
    "",
    "commands:",
    "  ingest        read strace and sysdig captures into a Parquet dataset",
    "  characterize  syscall types and argument values per image, run, process and phase",
    "  coverage      discovery curves, unseen-unit estimators and a saturation verdict",
    "  report        one self-contained HTML report (overview, coverage, images, profiles, validation)",
    "  synthesize    a seccomp profile of one image (Docker/OCI JSON, Kubernetes YAML) and its report",
    "  record        run an experiment's container and tests under strace (Docker) into a dataset",
    "  validate      an experiment's tests, complain mode, attack probes and overhead under profiles",
    "  check         replay every recorded event through a profile offline; lints",
    "  diff          what changed between two profiles, per syscall, and why",
    "",
    "common options: --help, --debug (show stack traces)",
  ].join("\n");
}

function commandHelp(name: string, c: Command): string {
  const lines = [`usage: sandmine ${c.usage}`, "", c.summary, "", "options:"];
  for (const [opt, spec] of Object.entries(c.options)) {
    const arg = spec.type === "string" ? ` ${opt.toUpperCase()}` : "";
    lines.push(`  --${opt}${arg}`.padEnd(28) + (c.describe[opt] ?? ""));
  }
  void name;
  return lines.join("\n");
}

/** Runs the CLI with `argv` (without node and script); returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  const name = args[0];
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(help() + "\n");
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`sandmine: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  const cmd = await load();
  try {
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(commandHelp(name, cmd) + "\n");
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: args.slice(1), options: cmd.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\n\n${commandHelp(name, cmd)}`);
    }
    return await cmd.run(parsed.values as Record<string, unknown>, parsed.positionals);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sandmine ${name}: ${e.message}\n`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      return 2;
    }
    if (e instanceof QueryError) {
      process.stderr.write(`sandmine ${name}: query failed: ${e.message}\n${debug ? e.sql + "\n" : ""}`);
      return 2;
    }
    process.stderr.write(`sandmine ${name}: ${(e as Error).message}\n`);
    if (debug) process.stderr.write(`${(e as Error).stack}\n`);
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}` && import.meta.url.endsWith(".ts")) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
