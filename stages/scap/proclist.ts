/**
 * Reads the thread entries of a process list block (all nine versions; libscap
 * scap_read_proclist): tid, pid, comm and cgroups, which is what the events need.
 */
import { containerIdFromCgroups } from "./container-id.ts";

/** What the dataset needs to know about a thread. */
export interface ThreadInfo {
  pid: number;
  comm: string;
  containerId: string | null;
  /** working directory, when the capture says it. */
  cwd?: string | null;
}

/**
 * Parses the entries of a version `v` process list in buf[start, end) into `threads`. Returns false
 * when an entry runs past the block or (v9) is shorter than its own fields (the entries read so far
 * are kept).
 */
export function readProclist(
  buf: Buffer,
  start: number,
  end: number,
  v: number,
  threads: Map<number, ThreadInfo>,
): boolean {
  let p = start;
  const str = (): string => {
    const n = buf.readUInt16LE(p);
    const s = buf.toString("utf8", p + 2, p + 2 + n);
    p += 2 + n;
    return s;
  };
  try {
    while (end - p >= 4) {
      const entryStart = p;
      const subLen = v >= 9 ? buf.readUInt32LE(p) : 0;
      if (v >= 9) p += 4;
      const tid = Number(buf.readBigInt64LE(p));
      const pid = Number(buf.readBigInt64LE(p + 8));
      p += 24 + (v >= 6 ? 8 : 0) + (v >= 8 ? 8 : 0);
      const comm = str();
      str(); // exe
      if (v >= 7) str(); // exepath
      str(); // args
      const cwd = str();
      p += 8 + 4 + 4 + 4; // fdlimit, flags, uid, gid
      let cgroups = "";
      if (v >= 2) p += 12 + 16; // vm sizes, page faults
      if (v >= 3) str(); // env
      if (v >= 4) {
        p += 16; // vtid, vpid
        cgroups = str();
      }
      if (v >= 5) str(); // root
      // an entry shorter than what it holds (0 above all) would never move on: damaged
      if (v >= 9 && entryStart + subLen < p) return false;
      if (v >= 9) p = entryStart + subLen;
      if (p > end) return false;
      threads.set(tid, { pid, comm, containerId: containerIdFromCgroups(cgroups), cwd });
    }
  } catch {
    return false;
  }
  return true;
}
