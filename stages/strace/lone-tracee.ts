/**
 * Who an unprefixed line belongs to, in `strace -f` output without `-o`: strace prints `[pid N]`
 * only while more than one tracee exists, so a line without it belongs to the lone tracee — the
 * first task before anything was spawned, or the one left when the others exited. The first task
 * is the one whose spawn call resumes under a prefix (`[pid P] <... clone3 resumed>`), or the first
 * prefixed task that strace did not announce as attached; the lone survivor comes from the set of
 * live tasks.
 */

const SPAWN = new Set(["clone", "clone3", "fork", "vfork"]);

export class LoneTracee {
  /** the task of lines without a prefix (0 while unknown). */
  current: number;
  /** pid of the first task, once known, else -1. */
  firstPid = -1;
  private readonly live = new Set<number>();
  private readonly children = new Set<number>();
  private lines = 0;

  constructor(initial: number) {
    this.current = initial > 0 ? initial : 0;
    if (initial > 0) {
      this.firstPid = initial;
      this.live.add(initial);
    }
  }

  /** strace announced `pid` as attached (a new tracee). */
  attached(pid: number): void {
    if (this.lines === 0 && this.firstPid < 0) {
      // `strace -p PID`: the attached process is the lone tracee itself
      this.firstPid = this.current = pid;
      this.live.add(pid);
      return;
    }
    this.children.add(pid);
    this.live.add(pid);
  }

  /** A line with prefix `pid` (≥ 0) or none (-1), of `kind` and call `name`; returns its task. */
  line(pid: number, kind: string, name: string): number {
    this.lines++;
    if (pid < 0) return this.current;
    if (this.firstPid < 0 && !this.children.has(pid)) {
      if ((kind === "resumed" && SPAWN.has(name)) || this.children.size > 0) {
        this.firstPid = pid;
        this.live.add(pid);
      }
    }
    this.live.add(pid);
    this.current = pid;
    return pid;
  }

  /** Task `tid` exited or was killed: a single survivor owns the next unprefixed lines. */
  exited(tid: number): void {
    this.live.delete(tid);
    if (this.live.size === 1) this.current = this.live.values().next().value!;
  }
}
