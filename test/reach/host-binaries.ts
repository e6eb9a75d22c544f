/**
 * The Debian bookworm binaries the reach tests read from this host (the recorded images' versions:
 * memcached 1.6.18, postgresql-15 15.18, libc6 2.36; memcached may carry a security update the
 * image lacks). Missing ones skip the test with the reason, and fail it under CI=true, where
 * .ci/packages installs them.
 */
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";

export const MEMCACHED = "/usr/bin/memcached";
export const POSTGRES = "/usr/lib/postgresql/15/bin/postgres";
export const LIBC = "/lib/x86_64-linux-gnu/libc.so.6";

/** A skip reason when `paths` or objdump are missing (an error under CI). */
export function skipWithout(paths: readonly string[], needObjdump = false): string | null {
  const missing = paths.filter((p) => !existsSync(p));
  if (needObjdump) {
    try {
      execFileSync("objdump", ["--version"], { stdio: "ignore" });
    } catch {
      missing.push("objdump (binutils)");
    }
  }
  if (missing.length === 0) return null;
  const reason = `${missing.join(", ")} not on this host (Debian packages memcached, postgresql-15, libc6, binutils)`;
  if (process.env.CI) throw new Error(`${reason}; required when CI is set (.ci/packages)`);
  return reason;
}
