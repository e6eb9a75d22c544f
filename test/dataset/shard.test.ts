/**
 * `ingest --shard K/N`: N processes given the same manifest and shards 1/N … N/N write, at once,
 * the dataset one process writes from the whole manifest (byte for byte); each capture is in
 * exactly one shard; a shard ingested again reports its runs unchanged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capturesFromManifest, parseShard, shardCaptures } from "../../pipeline/ingest/inputs.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { datasetHashes, sandmine, warmBundle } from "./child.ts";

const MANIFEST = join(REPO_ROOT, "datasets", "captures.yaml");
const N = 4;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-shard-"));
  await warmBundle();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("--shard K/N", () => {
  it("splits a manifest into N disjoint shards that cover it", () => {
    const all = capturesFromManifest(MANIFEST, "auto");
    const shards = Array.from({ length: N }, (_, k) => shardCaptures(all, { index: k + 1, count: N }));
    const runs = shards.flat().map((c) => `${c.image}/${c.run}`);
    expect(runs.sort()).toEqual(all.map((c) => `${c.image}/${c.run}`).sort());
    expect(shards.filter((s) => s.length > 0).length).toBeGreaterThan(1);
    expect(
      shardCaptures([...all].reverse(), { index: 2, count: N })
        .map((c) => c.run)
        .sort(),
    ).toEqual(shards[1]!.map((c) => c.run).sort());
    expect(() => parseShard("0/4")).toThrow(/K\/N/);
    expect(() => parseShard("5/4")).toThrow(/K\/N/);
    expect(parseShard("4/4")).toEqual({ index: 4, count: 4 });
  });

  it(`${N} processes, one shard each, write the dataset of one process`, async () => {
    const one = join(tmp, "one");
    const r = await sandmine(["ingest", "--manifest", MANIFEST, "--out", one, "-q"]);
    expect(r.code, r.err).toBe(0);
    const many = join(tmp, "many");
    const shards = await Promise.all(
      Array.from({ length: N }, (_, k) =>
        sandmine([
          "ingest",
          "--manifest",
          MANIFEST,
          "--shard",
          `${k + 1}/${N}`,
          "--out",
          many,
          "--workers",
          "1",
          "-q",
        ]),
      ),
    );
    for (const s of shards) expect(s.code, s.err).toBe(0);
    expect(datasetHashes(many)).toEqual(datasetHashes(one));
    const again = await sandmine([
      "ingest",
      "--manifest",
      MANIFEST,
      "--shard",
      `1/${N}`,
      "--out",
      many,
      "-q",
    ]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/ingested 0 run\(s\)/);
    expect(again.out).toMatch(/unchanged/);
    expect(datasetHashes(many)).toEqual(datasetHashes(one));
  }, 900_000);
});
