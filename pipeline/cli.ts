/**
 * The `sandmine` command line: subcommands with their own options and generated help.
 * Exit status: 0 success, 1 a check failed, 2 bad usage or unreadable input.
 */
import packageJson from "../package.json" with { type: "json" };
import { CLI_OPTIONS, commandHelp, helpEntry, meant, type Command, type CommandEntry } from "./command.ts";
import { QueryError } from "./duckdb.ts";
import { messageOf, stackOf, UsageError } from "./errors.ts";

export type { CommandEntry } from "./command.ts";

/** sandmine's version (package.json), as `--version` prints it. */
export const VERSION: string = packageJson.version;

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "ingest",
    brief: "read strace and sysdig captures into a Parquet dataset",
    load: async () => (await import("./commands/ingest.ts")).ingestCommand,
  },
  {
    name: "enqueue",
    brief: "put a manifest's captures on a Redis queue for sandmine worker processes",
    load: async () => (await import("./commands/enqueue.ts")).enqueueCommand,
  },
  {
    name: "worker",
    brief: "ingest the captures sandmine enqueue queued, until stopped or --drain",
    load: async () => (await import("./commands/worker.ts")).workerCommand,
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
    name: "analyze",
    brief: "characterize, then coverage, in one process (the same files as the two commands)",
    load: async () => (await import("./commands/analyze.ts")).analyzeCommand,
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
    name: "run",
    brief: "a whole study, each stage cached by its inputs: record … validate, report, results",
    load: async () => (await import("./commands/run.ts")).runCommand,
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
  {
    name: "reach",
    brief: "syscalls the image's binaries can reach (static analysis) beside the mined set",
    load: async () => (await import("./commands/reach.ts")).reachCommand,
  },
  {
    name: "fsck",
    brief: "check a dataset against its commit log; --repair what a crash left",
    load: async () => (await import("./commands/fsck.ts")).fsckCommand,
  },
  {
    name: "completion",
    brief: "a bash or zsh completion script for sandmine's commands and options",
    load: async () => (await import("./commands/completion.ts")).completionCommand(COMMANDS, VERSION),
  },
];

/** The options `sandmine` takes before a command (beside CLI_OPTIONS). */
const TOP_OPTIONS: readonly { label: string; description: string }[] = [
  { label: "--version, -V", description: `print the version (${VERSION})` },
];

function help(): string {
  return [
    "sandmine: mine seccomp sandboxes for Linux containers from recorded system-call captures",
    "",
    "usage: sandmine <command> [options]",
    "       sandmine help <command>     (or sandmine <command> --help: its options)",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(14)}${c.brief}`),
    "",
    "options:",
    ...[...TOP_OPTIONS, ...CLI_OPTIONS].flatMap((o) => helpEntry(o.label, o.description)),
    ...helpEntry("--quiet, -q", "(every command) no progress output: only results and errors"),
    "",
    "Colours only on a terminal, and never when NO_COLOR is set.",
    "Exit status: 0 success, 1 a check failed, 2 bad usage or unreadable input.",
  ].join("\n");
}

/** The command named `name`; a usage line (with what was probably meant) on stderr otherwise. */
function findCommand(name: string): CommandEntry | undefined {
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry) return entry;
  const option = name.startsWith("-");
  const m = option
    ? meant(name, ["--version", "-V", "--help", "-h"])
    : meant(
        name,
        COMMANDS.map((c) => c.name),
      );
  const what = option ? "unknown option" : "unknown command";
  process.stderr.write(`sandmine: ${what} ${name}${m ? ` (${m})` : ""}; see sandmine --help\n`);
  return undefined;
}

/** Runs the CLI with `argv` (without node and script); returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  const name = args[0];
  if (name === undefined || name === "--help" || name === "-h" || (name === "help" && args.length === 1)) {
    process.stdout.write(help() + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`sandmine ${VERSION}\n`);
    return 0;
  }
  if (name === "help") {
    const [, topic, ...more] = args;
    if (more.length > 0) {
      process.stderr.write("sandmine help: give one command; see sandmine --help\n");
      return 2;
    }
    const entry = findCommand(topic!);
    if (!entry) return 2;
    process.stdout.write(commandHelp(await entry.load()) + "\n");
    return 0;
  }
  const entry = findCommand(name);
  if (!entry) return 2;
  let cmd: Command | undefined;
  try {
    cmd = await entry.load();
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
