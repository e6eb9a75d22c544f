/**
 * The evaluator against libseccomp itself: python3-seccomp compiles each profile as runc 1.1.5
 * would, runc's ENOSYS stub is prepended (built like patchbpf does, from what libseccomp resolves),
 * and a classic-BPF interpreter runs the program on the same calls. Every verdict (action and
 * errno) must agree.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { libseccompUnavailable } from "../../pipeline/seccomp/libseccomp.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import type { Target } from "../../stages/seccomp/target.ts";
import { requireOrSkip, sharedDatasets } from "../util/datasets.ts";
import { CALLS, differential } from "./util/differential.ts";
import { HAND_PROFILES, randomProfile } from "./util/profiles.ts";

const PODMAN = "/usr/share/containers/seccomp.json";
const unavailable = libseccompUnavailable();
if (unavailable && process.env.CI) throw new Error(`${unavailable}; required when CI is set`);

const X86_64: Target = { arch: "x86_64" };

describe.skipIf(unavailable !== null)(
  `evaluator agrees with libseccomp 2.5.4 (${unavailable ?? "python3-seccomp"})`,
  () => {
    const shared = requireOrSkip(sharedDatasets(), "shared datasets");
    it.skipIf(shared.path === null)("docker-default.json, x86_64, Docker's default caps", () => {
      const p = JSON.parse(
        readFileSync(path.join(shared.path!, "profiles/docker-default.json"), "utf8"),
      ) as DockerProfile;
      const r = differential(p, X86_64, 1);
      expect(r.mismatches).toEqual([]);
      expect(r.calls).toBeGreaterThanOrEqual(CALLS);
    });
    it.skipIf(shared.path === null)("docker-default.json with CAP_SYS_ADMIN, without the stub", () => {
      const p = JSON.parse(
        readFileSync(path.join(shared.path!, "profiles/docker-default.json"), "utf8"),
      ) as DockerProfile;
      const r = differential(
        p,
        { arch: "x86_64", caps: ["CAP_SYS_ADMIN", "CAP_SYS_PTRACE"], runcEnosysStub: false },
        2,
      );
      expect(r.mismatches).toEqual([]);
    });
    it.skipIf(!existsSync(PODMAN))("Podman's default (containers-common), x86_64", () => {
      const p = JSON.parse(readFileSync(PODMAN, "utf8")) as DockerProfile;
      const r = differential(p, X86_64, 4);
      expect(r.mismatches).toEqual([]);
    });
    for (const [name, p] of Object.entries(HAND_PROFILES)) {
      it(`hand-written: ${name}`, () => {
        const r = differential(p, X86_64, 3);
        expect(r.mismatches).toEqual([]);
      });
    }
  },
);

describe.skipIf(unavailable !== null)("evaluator agrees with libseccomp on random profiles", () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`random profile ${seed}`, () => {
      const r = differential(randomProfile(seed), X86_64, seed);
      console.log(
        `random ${seed}: ${r.calls} calls, ${r.mixedCalls} on mixed-action syscalls, ${r.mixedMismatches} of them differ`,
      );
      expect(r.mismatches).toEqual([]);
    });
  }
});
