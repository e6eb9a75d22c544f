/**
 * The host stages' temporary folders (`/var/tmp/sandmine-validate.*`, `-probes.*`, `-traces.*`,
 * `-runc.*`, image trees), each with an owner marker beside it (`FOLDER.owner`: PID and start time
 * of the process that made it). A run killed with SIGKILL never reaches its cleanup; the next host
 * run removes the folders whose owner is gone (`removeOrphanTemps`, called where engines start).
 * The marker sits beside the folder, not in it: a tree becomes an image's "/" and a traces folder
 * is read as a capture, so nothing may be added inside.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Cleanup } from "./cleanup.ts";
import { ownerGone, ownerStamp } from "../pid-alive.ts";
import { mountsBelow, unmountBelow } from "./mounts.ts";

export const TEMP_ROOT = "/var/tmp";
const MARK = ".owner";

/** A new `ROOT/sandmine-PREFIX.XXXXXX` folder, marked as this process's and removed by `cleanup`. */
export function ownedTempDir(cleanup: Cleanup, prefix: string, root = TEMP_ROOT): string {
  const d = mkdtempSync(join(root, `sandmine-${prefix}.`));
  writeFileSync(d + MARK, ownerStamp(process.pid) ?? `${process.pid}\n`);
  cleanup.add(`remove ${d}`, () => {
    rmSync(d, { recursive: true, force: true });
    rmSync(d + MARK, { force: true });
  });
  return d;
}

/**
 * Removes the marked folders under `root` whose owner is gone (its PID ended, or was reused by a
 * process started later); a folder that still has a mount below it after unmounting is left, and
 * said. Unmarked folders (older code, or one being made) are never touched. Returns the count.
 */
export async function removeOrphanTemps(log: (s: string) => void, root = TEMP_ROOT): Promise<number> {
  let n = 0;
  for (const name of readdirSync(root)) {
    if (!name.startsWith("sandmine-") || !name.endsWith(MARK)) continue;
    const mark = join(root, name);
    const dir = mark.slice(0, -MARK.length);
    if (!ownerGone(mark)) continue;
    if (existsSync(dir)) {
      await unmountBelow(dir, log);
      const left = mountsBelow(dir);
      if (left.length > 0) {
        log(`left ${dir} of a killed run: still mounted below it (${left.join(", ")})`);
        continue;
      }
      log(`removing ${dir}, left by a killed run`);
      rmSync(dir, { recursive: true, force: true });
    }
    rmSync(mark, { force: true });
    n++;
  }
  return n;
}
