/**
 * `sandmine analyze` against the two commands it stands for, on the bundled captures: on one
 * dataset, `characterize` then `coverage` (cold, then warm), everything they wrote removed, then
 * `analyze` (cold, then warm) with the same options; every file written (the results and the
 * analysis cache: names and bytes) and what is printed must be the same at each step.
 */
import { cpSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBundled } from "../util/bundled-dataset.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
let tmp: string;
let ds: string;

const WRITTEN = ["characterize", "coverage", "analysis"];

/** Every file the analysis wrote under `dir` (characterize/, coverage/, analysis/): path → bytes. */
function written(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  for (const top of WRITTEN) walk(join(dir, top));
  return out;
}

/** A copy of the ingested dataset, for one case. */
function copy(name: string): string {
  const to = join(tmp, name);
  cpSync(ds, to, { recursive: true });
  return to;
}

/** Removes what the analysis wrote: the dataset as ingest left it. */
function clean(dir: string): void {
  for (const top of WRITTEN) rmSync(join(dir, top), { recursive: true, force: true });
}

/** Runs `sandmine ARGS…` for each list in turn, each expected to succeed; what they printed. */
async function run(...commands: string[][]): Promise<string> {
  let out = "";
  for (const args of commands) {
    const r = await runCli(...args);
    expect(r.code, r.err).toBe(0);
    out += r.out;
  }
  return out;
}

/**
 * One dataset for both sides (the cache key hashes its files' mtimes, which a copy changes, so the
 * cache files are named alike only on the same folder). `estimators`: coverage's own options.
 */
async function expectSame(dir: string, options: string[], estimators: string[] = []): Promise<void> {
  const two = (): Promise<string> =>
    run(["characterize", dir, "-q", ...options], ["coverage", dir, "-q", ...options, ...estimators]);
  clean(dir);
  const cold = { out: await two(), files: written(dir) };
  const warm = { out: await two(), files: written(dir) };
  clean(dir);
  for (const want of [cold, warm]) {
    const out = await run(["analyze", dir, "-q", ...options, ...estimators]);
    expect(out).toBe(want.out);
    const files = written(dir);
    expect([...files.keys()]).toEqual([...want.files.keys()]);
    expect(files.size).toBeGreaterThan(10);
    for (const [f, bytes] of want.files) expect(files.get(f)!.equals(bytes), f).toBe(true);
  }
}

describe.skipIf(avail.skipReason !== null)("sandmine analyze = characterize; coverage", () => {
  beforeAll(async () => {
    ({ tmp, ds } = await ingestBundled("analyze-command"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("writes the same files and prints the same, cold and warm", async () => {
    await expectSame(copy("all"), []);
  });

  it("with --image, --json and coverage's options", async () => {
    await expectSame(copy("image"), ["--image", "redis", "--json"], ["--orders", "50", "--seed", "7"]);
  });

  it("with --all-images", async () => {
    await expectSame(copy("fleet"), ["--all-images", "--workers", "2"]);
  });
});
