/**
 * The profiles `synthesize` writes for the bundled images, in all three argument modes: the
 * evaluator agrees with libseccomp 2.5.4 on 20,000 random and edge-case calls each (the same
 * differential harness as the runtime defaults), and runc 1.1.5 loads each one and runs /bin/true
 * under it (runc's own init after the filter load is part of the recorded `init` phase).
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBundled } from "../util/bundled-dataset.ts";
import { withDb } from "../../pipeline/duckdb.ts";
import { synthesizeImage } from "../../pipeline/profile/synthesize.ts";
import { libseccompUnavailable } from "../../pipeline/seccomp/libseccomp.ts";
import { ARG_MODES } from "../../schemas/profile-report.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { lintProfile } from "../../stages/seccomp/lints.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { CALLS, differential } from "./util/differential.ts";
import { runTrue, runcUnavailable } from "./util/runc.ts";

const IMAGES = ["memcached", "nginx", "redis"];
const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
const noLibseccomp = libseccompUnavailable();
const noRunc = runcUnavailable();
if (process.env.CI && (noLibseccomp || noRunc))
  throw new Error(`${noLibseccomp ?? noRunc}; required when CI is set`);

const profiles = new Map<string, DockerProfile>();
let tmp: string;

describe.skipIf(avail.skipReason !== null)("synthesized profiles against libseccomp and runc", () => {
  beforeAll(async () => {
    const b = await ingestBundled("synth");
    tmp = b.tmp;
    const ds = b.ds;
    await withDb(async (db) => {
      for (const image of IMAGES) {
        for (const args of ARG_MODES) {
          const [s] = await synthesizeImage(db, {
            dataset: ds,
            image,
            args,
            arches: ["x86_64"],
            withRuntime: true,
          });
          profiles.set(`${image} ${args}`, s!.profile);
        }
      }
    });
  }, 240_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const cases = IMAGES.flatMap((i) => ARG_MODES.map((m) => `${i} ${m}`));

  it.skipIf(noLibseccomp !== null).each(cases)(
    `%s: evaluator and libseccomp agree on every call (${noLibseccomp ?? "python3-seccomp"})`,
    (key) => {
      const p = profiles.get(key)!;
      expect(lintProfile(p, { arch: "x86_64" }).filter((l) => l.severity === "error")).toEqual([]);
      const r = differential(p, { arch: "x86_64" }, 7);
      expect(r.calls).toBeGreaterThanOrEqual(CALLS);
      expect(r.mismatches).toEqual([]);
    },
    120_000,
  );

  it.skipIf(noRunc !== null).each(cases)(
    `%s: runc runs /bin/true under it (${noRunc ?? "root, runc"})`,
    (key) => {
      const r = runTrue(profiles.get(key)!);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    },
  );
});
