/**
 * runc 1.1.5 running /bin/true under a profile, in a bundle whose read-only rootfs binds the
 * host's /usr, /lib, /lib64 and /bin (../shared/docs/host.md). The bundle is removed and the
 * container deleted by its id afterwards.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DockerProfile } from "../../../schemas/seccomp-profile.ts";
import { dockerJson } from "../../../stages/profile/render.ts";
import { toOci } from "../../../stages/seccomp/oci.ts";

export const RUNC = "/usr/sbin/runc";
const X86_64 = { arch: "x86_64" } as const;

/** Why runc cannot be used here, or null. */
export function runcUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "runc tests need root";
  if (!existsSync(RUNC)) return `${RUNC} not found (apt-get install runc)`;
  return null;
}

/** Runs /bin/true under the profile; returns runc's exit status and stderr. */
export function runTrue(p: DockerProfile): { status: number | null; stderr: string } {
  const bundle = mkdtempSync(path.join(os.tmpdir(), "sandmine-runc-"));
  const id = `sandmine-${process.pid}-${path.basename(bundle).slice(-6)}`;
  try {
    mkdirSync(path.join(bundle, "rootfs"));
    for (const d of ["usr", "lib", "lib64", "bin", "proc", "dev", "sys", "tmp"])
      mkdirSync(path.join(bundle, "rootfs", d));
    execFileSync(RUNC, ["spec"], { cwd: bundle });
    const config = JSON.parse(readFileSync(path.join(bundle, "config.json"), "utf8")) as {
      process: { args: string[]; terminal: boolean };
      root: { path: string; readonly: boolean };
      mounts: { destination: string; type: string; source: string; options: string[] }[];
      linux: { seccomp?: unknown };
    };
    config.process.args = ["/bin/true"];
    config.process.terminal = false;
    config.root = { path: "rootfs", readonly: true };
    for (const d of ["/usr", "/lib", "/lib64", "/bin"])
      if (existsSync(d))
        config.mounts.push({ destination: d, type: "bind", source: d, options: ["rbind", "ro"] });
    const seccomp = dockerJson(toOci(p, X86_64) as DockerProfile);
    const text = JSON.stringify(
      { ...config, linux: { ...config.linux, seccomp: "\u0000seccomp" } },
      null,
      2,
    ).replace('"\\u0000seccomp"', seccomp);
    writeFileSync(path.join(bundle, "config.json"), text);
    const r = spawnSync(RUNC, ["run", "--bundle", bundle, id], { encoding: "utf8", timeout: 60_000 });
    return { status: r.status, stderr: r.stderr };
  } finally {
    spawnSync(RUNC, ["delete", "--force", id], { encoding: "utf8" });
    rmSync(bundle, { recursive: true, force: true });
  }
}
