/**
 * When each task of a single-file capture (`-f -o`, or `-f` to stderr) first appears: the
 * container's pid namespace makes clone() return a namespace pid (2, 3, …) while the prefixes are
 * host pids, and the children are matched to the tasks that appear after the spawn
 * (stages/phase/pidns.ts), as the per-task files of `-ff` are. Reads only each line's prefix.
 */
import { newLineInfo, parseLine } from "./line.ts";

export interface TaskStart {
  tid: number;
  /** time of its first line (ns; -1 without timestamps). */
  ts: number;
}

const info = newLineInfo();

/** The pid of a `PID ` or `[pid N] ` prefix at `i`, or -1. */
function prefixPid(text: string, i: number): number {
  let j = i;
  if (text.charCodeAt(j) === 91 /* [ */) {
    if (!text.startsWith("[pid ", j)) return -1;
    j += 5;
    while (text.charCodeAt(j) === 32) j++;
  }
  let v = 0;
  const k = j;
  for (let c = text.charCodeAt(j); c >= 48 && c <= 57; c = text.charCodeAt(++j)) v = v * 10 + (c - 48);
  if (j === k) return -1;
  const c = text.charCodeAt(j);
  return c === 32 || c === 93 /* ] */ || c === 60 /* < (-Y comm) */ ? v : -1;
}

export class TaskStarts {
  readonly starts: TaskStart[] = [];
  private readonly seen = new Set<number>();

  /** Looks at the line starting at `i`. */
  see(text: string, i: number): void {
    const pid = prefixPid(text, i);
    if (pid < 0 || this.seen.has(pid)) return;
    this.seen.add(pid);
    let e = text.indexOf("\n", i);
    if (e < 0) e = text.length;
    parseLine(text.slice(i, e), info);
    const timed = info.tsStyle === "tod" || info.tsStyle === "epoch";
    this.starts.push({ tid: pid, ts: timed ? info.tsSec * 1e9 + info.tsNsec : -1 });
  }
}
