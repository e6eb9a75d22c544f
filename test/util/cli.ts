/**
 * Runs the sandmine CLI in-process and captures what it prints, for tests of whole commands.
 */
import { main } from "../../pipeline/cli.ts";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `sandmine ARGS…`, returning the exit status and the captured stdout and stderr. */
export async function runCli(...args: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await main(args), out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}
