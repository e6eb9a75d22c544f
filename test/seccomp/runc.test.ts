/**
 * runc 1.1.5 loads profiles and runs /bin/true under them, in a bundle whose read-only rootfs binds
 * the host's /usr, /lib, /lib64 and /bin (../shared/docs/host.md). Needs root and runc: skipped
 * with the reason otherwise, failed under CI. Bundles are removed and containers deleted by id.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { lintProfile } from "../../stages/seccomp/lints.ts";
import { requireOrSkip, sharedDatasets } from "../util/datasets.ts";
import { runTrue, runcUnavailable } from "./util/runc.ts";

const X86_64 = { arch: "x86_64" } as const;
const why = runcUnavailable();
if (why && process.env.CI) throw new Error(`${why}; required when CI is set`);

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
