/**
 * The `sandmine` command line: subcommands with their own options and generated help.
 * Exit status: 0 success, 1 a check failed, 2 bad usage or unreadable input.
 */
import { commandHelp, type Command } from "./command.ts";
import { QueryError } from "./duckdb.ts";
import { messageOf, stackOf, UsageError } from "./errors.ts";

/** A subcommand as the CLI lists it: name, one line, and its definition (loaded when run). */
export interface CommandEntry {
  name: string;
  brief: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "ingest",
    brief: "read strace and sysdig captures into a Parquet dataset",
    load: async () => (await import("./commands/ingest.ts")).ingestCommand,
  },
  {
    name: "characterize",
    brief: "syscall types and argument values per image, run, process and phase",
    load: async () => (await import("./commands/characterize.ts")).characterizeCommand,
  },
  {
    name: "coverage",
    brief: "discovery curves, unseen-unit estimators and a saturation verdict",
    load: async () => (await import("./commands/coverage.ts")).coverageCommand,
  },
  {
    name: "report",
    brief: "one self-contained HTML report (overview, coverage, images, profiles, validation)",
    load: async () => (await import("./commands/report.ts")).reportCommand,
  },
  {
    name: "synthesize",
    brief: "a seccomp profile of one image (Docker/OCI JSON, Kubernetes YAML) and its report",
    load: async () => (await import("./commands/synthesize.ts")).synthesizeCommand,
  },
  {
    name: "record",
    brief: "run an experiment's container and tests under strace (Docker) into a dataset",
    load: async () => (await import("./commands/record.ts")).recordCommand,
  },
  {
    name: "validate",
    brief: "an experiment's tests, complain mode, attack probes and overhead under profiles",
    load: async () => (await import("./commands/validate.ts")).validateCommand,
  },
  {
    name: "check",
    brief: "replay every recorded event through a profile offline; lints",
    load: async () => (await import("./commands/check.ts")).checkCommand,
  },
  {
    name: "diff",
    brief: "what changed between two profiles, per syscall, and why",
    load: async () => (await import("./commands/diff.ts")).diffCommand,
  },
];

function help(): string {
  return [
    "sandmine: mine seccomp sandboxes for Linux containers from recorded system-call captures",
    "",
    "usage: sandmine <command> [options]   (sandmine <command> --help for its options)",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(14)}${c.brief}`),
    "",
    "common options: --help, --debug (show stack traces)",
  ].join("\n");
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
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`sandmine: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  const cmd = await entry.load();
  try {
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(commandHelp(cmd) + "\n");
      return 0;
    }
    return await cmd.execute(args.slice(1));
  } catch (e) {
    return reportError(name, e, debug);
  }
}

/** Prints a failed command's error (one line; the stack or SQL with --debug); returns the exit status. */
function reportError(name: string, e: unknown, debug: boolean): number {
  if (e instanceof UsageError) {
    process.stderr.write(`sandmine ${name}: ${e.message}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
  if (e instanceof QueryError) {
    process.stderr.write(`sandmine ${name}: query failed: ${e.message}\n${debug ? e.sql + "\n" : ""}`);
    return 2;
  }
  process.stderr.write(`sandmine ${name}: ${messageOf(e)}\n`);
  if (debug) process.stderr.write(`${stackOf(e)}\n`);
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}` && import.meta.url.endsWith(".ts")) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`sandmine: ${stackOf(e)}\n`);
      process.exitCode = 1;
    },
  );
}
