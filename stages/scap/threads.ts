/**
 * Keeps the thread table current from clone/fork/execve exit events (the process list block gives
 * its state at capture start): pid, comm and container of each thread.
 */
import { containerIdFromCgroups } from "./container-id.ts";
import type { DecodedParam } from "./decoded-param.ts";
import type { ThreadInfo } from "./proclist.ts";

const SPAWNS = new Set(["clone", "fork", "vfork", "clone3"]);

/** The exit events trackThread reads (for any other it does nothing). */
export const TRACKED_CALLS: ReadonlySet<string> = new Set([...SPAWNS, "execve", "execveat"]);

function find(params: readonly DecodedParam[], name: string): DecodedParam | undefined {
  return params.find((p) => p.info.name === name);
}

/** Updates `threads` from exit event `name` of thread `tid` with its decoded parameters. */
export function trackThread(
  threads: Map<number, ThreadInfo>,
  tid: number,
  name: string,
  params: readonly DecodedParam[],
): void {
  const res = params[0]?.int;
  if (res === undefined || res === null) return;
  const isExec = name === "execve" || name === "execveat";
  if (!(isExec && res === 0) && !(SPAWNS.has(name) && res === 0)) return;
  const pid = find(params, "pid")?.int;
  const comm = find(params, "comm")?.str ?? find(params, "exe")?.str?.split("/").pop() ?? null;
  const cg = find(params, "cgroups");
  const prev = threads.get(tid);
  threads.set(tid, {
    pid: typeof pid === "number" ? pid : (prev?.pid ?? tid),
    comm: comm ?? prev?.comm ?? "",
    containerId: cg ? containerIdFromCgroups(cg.text) : (prev?.containerId ?? null),
    cwd: find(params, "cwd")?.str ?? prev?.cwd ?? null,
  });
}
