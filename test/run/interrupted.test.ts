/**
 * A stage a killed run was inside is reported as "not finished" by the run that resumes it, though
 * that run's lock removes the leftover work folders first (the paper study's resumed run logged
 * "never run" for the stage its kill had interrupted, while `run --status` said "not finished").
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Cache } from "../../pipeline/run/cache.ts";

describe("run cache: interrupted stages", () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

  it("remembers the work folders a killed run left, after removing them", () => {
    const root = mkdtempSync(join(tmpdir(), "sandmine-interrupted-"));
    roots.push(root);
    mkdirSync(join(root, ".work", "redis", "validate"), { recursive: true });
    mkdirSync(join(root, ".work", "nginx", "synthesize-safe.old"), { recursive: true });
    mkdirSync(join(root, ".work", "@study", "report"), { recursive: true });
    const cache = new Cache(root);
    const release = cache.lock();
    try {
      expect(existsSync(join(root, ".work"))).toBe(false);
      expect(cache.unfinished("redis/validate")).toBe(true);
      expect(cache.unfinished("nginx/synthesize-safe")).toBe(true);
      expect(cache.unfinished("report")).toBe(true);
      expect(cache.unfinished("redis/record")).toBe(false);
      expect(cache.unfinished("results")).toBe(false);
    } finally {
      release();
    }
  });
});
