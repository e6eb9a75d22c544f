import { readFileSync } from "node:fs";

/** Whether a process with this PID exists (EPERM: it exists, owned by another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** "PID STARTTIME" of a live process (field 22 of /proc/PID/stat), or null when it is gone. */
export function ownerStamp(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return `${pid} ${start}\n`;
  } catch {
    return null;
  }
}
