/**
 * Long-running `sandmine` children (workers, a waiting enqueuer): their output as it comes, a wait
 * for a line matching a pattern, and their exit; stopped by PID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { REPO_ROOT } from "../util/datasets.ts";

export interface Child {
  proc: ChildProcess;
  pid: number;
  out(): string;
  err(): string;
  /** resolves with the first stderr line matching `re` (waits for it) */
  line(re: RegExp): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startSandmine(args: readonly string[]): Child {
  const proc = spawn(process.execPath, ["--enable-source-maps", "pipeline/launch.mjs", "cli", ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const waiting: { re: RegExp; resolve: (l: string) => void }[] = [];
  const check = () => {
    for (const w of [...waiting]) {
      const l = err.split("\n").find((x) => w.re.test(x));
      if (l !== undefined) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(l);
      }
    }
  };
  proc.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  proc.stderr!.on("data", (b: Buffer) => {
    err += b.toString();
    check();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("close", (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    pid: proc.pid!,
    out: () => out,
    err: () => err,
    line: (re) =>
      new Promise((resolve, reject) => {
        waiting.push({ re, resolve });
        check();
        void exit.then(() => {
          if (waiting.some((w) => w.re === re))
            reject(new Error(`exited before printing ${String(re)}:\n${err}`));
        });
      }),
    exit,
  };
}
