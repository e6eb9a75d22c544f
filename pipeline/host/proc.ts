/**
 * Runs a host program and collects its result; a timeout ends it (and its process group, which
 * it leads) by its own PID. Output is kept whole up to a cap, so a chatty benchmark cannot
 * exhaust memory.
 */
import { spawn } from "node:child_process";
import type { CommandOutcome } from "../../schemas/validation-report.ts";

export interface RunOptions {
  timeout?: number; // seconds
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** where stdin comes from when no input is given. */
  stdio?: "pipe" | "ignore";
}

export interface RunResult extends CommandOutcome {
  stdout: string;
  stderr: string;
}

const CAP = 8 << 20;
const TAIL = 2048;

export const tail = (s: string): string => (s.length > TAIL ? s.slice(-TAIL) : s);

/** Set by a signal handler: from then on only cleanup commands run, the work's next command fails. */
let interrupted: string | null = null;
let cleaningUp = false;

export function interrupt(signal: string): void {
  interrupted = signal;
}

/** Marks the commands run from now on as cleanup (they run even after an interrupt). */
export function cleanupPhase(on: boolean): void {
  cleaningUp = on;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (interrupted !== null && !cleaningUp) return Promise.reject(new Error(`interrupted by ${interrupted}`));
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      detached: true, // own process group: a timeout ends the command and its children
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outN = 0;
    let errN = 0;
    child.stdout!.on("data", (b: Buffer) => {
      if (outN < CAP) out.push(b);
      outN += b.length;
    });
    child.stderr!.on("data", (b: Buffer) => {
      if (errN < CAP) err.push(b);
      errN += b.length;
    });
    let timedOut = false;
    const timer =
      opts.timeout === undefined
        ? null
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid!, "SIGKILL");
            } catch {
              /* already gone */
            }
          }, opts.timeout * 1000);
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on("close", (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        status: timedOut ? null : status,
        signal: signal ?? null,
        timedOut,
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        stdoutTail: "",
        stderrTail: "",
      });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  }).then((r) => {
    const res = r as RunResult;
    res.stdoutTail = tail(res.stdout);
    res.stderrTail = tail(res.stderr);
    return res;
  });
}

/** Runs and throws with the program's stderr when it does not exit 0. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.status !== 0) {
    const why = r.timedOut ? `timed out after ${opts.timeout} s` : `exit status ${r.status ?? r.signal}`;
    throw new Error(`${cmd} ${args.join(" ")}: ${why}: ${r.stderrTail.trim() || r.stdoutTail.trim()}`);
  }
  return r;
}
