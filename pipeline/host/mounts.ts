/** Mounts below a folder: what must be unmounted before the folder can be removed. */
import { readFileSync } from "node:fs";
import { run } from "./proc.ts";

/** Mount points at or below `dir` (a bind-mounted tree must never be removed through its mount). */
export function mountsBelow(dir: string): string[] {
  return readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((l) => (l.split(" ")[1] ?? "").replace(/\\040/g, " "))
    .filter((p) => p === dir || p.startsWith(dir + "/"));
}

/** Unmounts every mount point below `dir`, deepest first. */
export async function unmountBelow(dir: string, log: (s: string) => void): Promise<void> {
  const mounts = mountsBelow(dir)
    .filter((p) => p !== dir)
    .sort()
    .reverse();
  for (const m of mounts) {
    const r = await run("umount", [m], { timeout: 30 });
    if (r.status !== 0) {
      const l = await run("umount", ["-l", m], { timeout: 30 });
      if (l.status !== 0) log(`could not unmount ${m}`);
    }
  }
}
