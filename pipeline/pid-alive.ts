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

/**
 * Whether the process an owner file (`ownerStamp` text) names is gone: its PID ended, or now
 * belongs to a process started later. False when the file cannot be read or names no PID (a
 * folder being set up, or made by older code): such a folder is never taken for an orphan.
 */
export function ownerGone(file: string): boolean {
  let owner: string;
  try {
    owner = readFileSync(file, "utf8");
  } catch {
    return false;
  }
  const pid = Number(owner.split(" ")[0]);
  return Number.isInteger(pid) && pid > 0 && ownerStamp(pid) !== owner;
}
