/**
 * The synthesized profiles of the bundled images, in all three argument modes: the evaluator and
 * libseccomp agree on every verdict, and runc runs /bin/true under each.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { libseccompUnavailable } from "../../pipeline/seccomp/libseccomp.ts";
import { parseProfile } from "../../stages/profile/parse.ts";
import { REPO_ROOT, bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";
import { CALLS, differential } from "./util/differential.ts";
import { runTrue, runcUnavailable } from "./util/runc.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
const noLib = libseccompUnavailable();
const noRunc = runcUnavailable();
for (const why of [noLib, noRunc])
  if (why && process.env.CI) throw new Error(`${why}; required when CI is set`);
const IMAGES = ["memcached", "nginx", "redis"];
const MODES = ["none", "safe", "learned"];
const CASES = IMAGES.flatMap((i) => MODES.map((m) => [i, m]));
const X86_64 = { arch: "x86_64" } as const;
let tmp: string;

const profile = (image: string, mode: string) => {
  const f = join(tmp, `${image}-${mode}.json`);
  return parseProfile(readFileSync(f, "utf8"), f);
};

describe.skipIf(avail.skipReason !== null)("synthesized profiles of the bundled images", () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-seccomp-"));
    const ds = join(tmp, "ds");
    const r = await runCli(
      "ingest",
      "--manifest",
      join(REPO_ROOT, "datasets", "captures.yaml"),
      "--out",
      ds,
      "-q",
    );
    expect(r.code, r.err).toBe(0);
    for (const [image, mode] of CASES) {
      const s = await runCli(
        "synthesize",
        ds,
        "--image",
        image!,
        "--args",
        mode!,
        "--out",
        join(tmp, `${image}-${mode}.json`),
      );
      expect(s.code, s.err).toBe(0);
    }
  }, 240_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.skipIf(noLib !== null).each(CASES)(
    "%s --args %s: evaluator = libseccomp on 20,000 calls",
    (image, mode) => {
      const r = differential(profile(image!, mode!), X86_64, 21);
      expect(r.calls).toBeGreaterThanOrEqual(CALLS);
      expect(r.mismatches).toEqual([]);
      expect(r.mixedMismatches).toBe(0);
    },
  );

  it.skipIf(noRunc !== null).each(CASES)("%s --args %s: runc runs /bin/true", (image, mode) => {
    expect(runTrue(profile(image!, mode!))).toMatchObject({ status: 0 });
  });
});
