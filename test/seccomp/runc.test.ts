/**
 * runc 1.1.5 loads profiles and runs /bin/true under them, in a bundle whose read-only rootfs binds
 * the host's /usr, /lib, /lib64 and /bin (../shared/docs/host.md). Needs root and runc: skipped
 * with the reason otherwise, failed under CI. Bundles are removed and containers deleted by id.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { dockerJson } from "../../stages/profile/render.ts";
import { lintProfile } from "../../stages/seccomp/lints.ts";
import { toOci } from "../../stages/seccomp/oci.ts";
import { requireOrSkip, sharedDatasets } from "../util/datasets.ts";

const RUNC = "/usr/sbin/runc";
const X86_64 = { arch: "x86_64" } as const;

function unavailable(): string | null {
  if (process.getuid?.() !== 0) return "runc tests need root";
  if (!existsSync(RUNC)) return `${RUNC} not found (apt-get install runc)`;
  return null;
}
const why = unavailable();
if (why && process.env.CI) throw new Error(`${why}; required when CI is set`);

/** Runs /bin/true under the profile; returns runc's exit status and stderr. */
function runTrue(p: DockerProfile): { status: number | null; stderr: string } {
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

describe.skipIf(why !== null)(`runc accepts profiles (${why ?? "root, runc 1.1.5"})`, () => {
  const shared = requireOrSkip(sharedDatasets(), "shared datasets");
  it.skipIf(shared.path === null)("Docker's default, converted to OCI: /bin/true exits 0", () => {
    const d = JSON.parse(
      readFileSync(path.join(shared.path!, "profiles/docker-default.json"), "utf8"),
    ) as DockerProfile;
    expect(runTrue(d)).toMatchObject({ status: 0 });
  });
  it("a profile that denies execve fails, and its lints are clean of errors", () => {
    const d: DockerProfile = {
      defaultAction: "SCMP_ACT_ALLOW",
      architectures: ["SCMP_ARCH_X86_64"],
      syscalls: [{ names: ["execve"], action: "SCMP_ACT_ERRNO", errnoRet: 13 }],
    };
    expect(lintProfile(d, X86_64).filter((l) => l.severity === "error")).toEqual([]);
    expect(runTrue(d).status).not.toBe(0);
  });
});
