/**
 * Task markers: the few events that change what a task is (spawned, filter loaded, new program,
 * renamed, 32-bit mode), and runc's container-building calls (where the filter boundary can be
 * inferred from when a capture has no filter load). The scan pass collects them; timelines are resolved from them.
 */

/** A position within one task's capture file: its 1-based line number. */
export type Pos = number;

/** One marker of one task. */
export type Marker =
  | { kind: "spawn"; tid: number; pos: Pos; child: number; thread: boolean; ts: number }
  | { kind: "seccomp"; tid: number; pos: Pos }
  /** a container-building call (mount, pivot_root, setns, …) that runc makes before any filter */
  | { kind: "setup"; tid: number; pos: Pos }
  | { kind: "execve"; tid: number; pos: Pos; comm: string }
  | { kind: "name"; tid: number; pos: Pos; comm: string }
  | { kind: "arch"; tid: number; pos: Pos; arch: string };

/** The kernel truncates comm to 15 bytes (TASK_COMM_LEN 16 with the NUL). */
export function commOf(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base.slice(0, 15);
}
