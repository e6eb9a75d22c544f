/**
 * The generated libseccomp name table against scmp_sys_resolver (what runc's libseccomp resolves),
 * for every name on x86_64 and a sample on the other arches.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LIBSECCOMP_SYSCALLS } from "../../schemas/generated/libseccomp-syscalls.ts";

const RESOLVER = "/usr/bin/scmp_sys_resolver";
const missing = existsSync(RESOLVER) ? null : `${RESOLVER} not found (apt-get install seccomp)`;
if (missing && process.env.CI) throw new Error(`${missing}; required when CI is set`);

function resolveAll(arch: string, names: readonly string[]): number[] {
  // one shell for all names: a process per name via node would take seconds
  const script = 'a=$1; shift; for n in "$@"; do scmp_sys_resolver -a "$a" "$n"; done';
  const out = execFileSync("bash", ["-c", script, "bash", arch, ...names], { encoding: "utf8" });
  return out.trim().split("\n").map(Number);
}

describe.skipIf(missing !== null)("generated libseccomp table = scmp_sys_resolver", () => {
  it("every x86_64 name", () => {
    const names = Object.keys(LIBSECCOMP_SYSCALLS.x86_64);
    expect(resolveAll("x86_64", names)).toEqual(names.map((n) => LIBSECCOMP_SYSCALLS.x86_64[n]));
  });
  it.each(["x86", "x32", "aarch64", "arm"] as const)("every 7th name on %s", (arch) => {
    const names = Object.keys(LIBSECCOMP_SYSCALLS[arch]).filter((_n, i) => i % 7 === 0);
    expect(resolveAll(arch, names)).toEqual(names.map((n) => LIBSECCOMP_SYSCALLS[arch][n]));
  });
  it("knows what Debian 12's libseccomp knows and no more", () => {
    expect(LIBSECCOMP_SYSCALLS.x86_64.futex_waitv).toBe(449);
    expect(LIBSECCOMP_SYSCALLS.x86_64.mseal).toBeUndefined();
    expect(LIBSECCOMP_SYSCALLS.x86.socket).toBe(-101); // multiplexed through socketcall
  });
});
