/**
 * `ingest --manifest` in batches (pipeline/ingest/batches.ts): the same dataset, byte for byte,
 * and the same summary whatever the batch size (1 capture, 4, all in one), one job display over
 * the batches, and the cut itself (captures and bytes per batch).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureBatches } from "../../pipeline/ingest/batches.ts";
import type { CaptureInput } from "../../pipeline/ingest/inputs.ts";
import { JobProgress, type ProgressOutput } from "../../pipeline/progress.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { writeFleet, type Fleet } from "../util/fleet.ts";
import { datasetHashes, sandmine, warmBundle } from "../dataset/child.ts";

const capture = (run: string, sizes: number[]): CaptureInput => ({
  image: "i",
  imageGiven: true,
  run,
  source: run,
  format: "strace",
  labels: {},
  files: sizes.map((size, k) => ({ path: `/x/${run}.${k}`, name: `${run}.${k}`, tid: -1, size })),
});

describe("captureBatches", () => {
  it("cuts in order at the capture count or the bytes, a capture larger than the bytes alone", () => {
    const cs = [
      capture("a", [10]),
      capture("b", [5, 5]),
      capture("c", [50]),
      capture("d", [1]),
      capture("e", [1]),
    ];
    const runs = (limits: { captures: number; bytes: number }) =>
      [...captureBatches(cs, limits)].map((b) => b.map((c) => c.run).join(""));
    expect(runs({ captures: 100, bytes: 1000 })).toEqual(["abcde"]);
    expect(runs({ captures: 2, bytes: 1000 })).toEqual(["ab", "cd", "e"]);
    expect(runs({ captures: 100, bytes: 20 })).toEqual(["ab", "c", "de"]);
    expect(runs({ captures: 1, bytes: 1 })).toEqual(["a", "b", "c", "d", "e"]);
    expect([...captureBatches([], { captures: 1, bytes: 1 })]).toEqual([]);
  });
});

describe("JobProgress over batches", () => {
  it("counts the batches before as done, events summed, the ETA over the whole job", () => {
    const out: ProgressOutput & { text: string; clock: number } = {
      tty: false,
      text: "",
      clock: 0,
      write: (t: string) => void (out.text += t),
      now: () => out.clock,
    };
    const job = new JobProgress("ingest", "captures", 10, { parse: 1 }, false, out);
    job.skip(2);
    job.batch(4);
    out.clock = 2000;
    job.step("parse", 4, 4, { finished: 4, events: 400 });
    job.batch(4);
    out.clock = 4000;
    job.step("parse", 2, 4, { finished: 2, events: 100 });
    const lines = out.text.trimEnd().split("\n");
    // the first batch of 4 done, half the job's work: as long again to go
    expect(lines[0]).toBe("ingest: 6/10 captures · 400 events · 200 events/s · 2s · ETA 2s");
    // 2 skipped + 4 + 2 done; work (4 + 4 × 1/2) / 8 = 0.75 done in 4 s: 1.3 s to go
    expect(lines[1]).toBe("ingest: 8/10 captures · 500 events · 125 events/s · 4s · ETA 1s");
  });
});

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");

describe.skipIf(avail.skipReason !== null)("ingest --manifest in batches", () => {
  let tmp: string;
  let fleet: Fleet;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-batches-"));
    fleet = writeFleet(join(tmp, "fleet"), { images: 3, capturesPerImage: 3, seed: 5 });
    await warmBundle();
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("batches of 1 and of 4 captures write the dataset and summary of one batch, byte for byte", async () => {
    const run = async (name: string, batch: string) => {
      const out = join(tmp, name);
      const r = await sandmine(["ingest", "--manifest", fleet.manifest, "--out", out, "-q", "--json"], {
        SANDMINE_INGEST_BATCH: batch,
      });
      expect(r.code, r.err).toBe(0);
      const s = JSON.parse(r.out) as Record<string, unknown>;
      for (const k of ["seconds", "eventsPerSecond", "peakRssBytes"]) delete s[k];
      return { hashes: datasetHashes(out), summary: s };
    };
    const whole = await run("whole", "");
    const ones = await run("ones", "1");
    const fours = await run("fours", "4");
    expect(Object.keys(whole.hashes).length).toBeGreaterThan(9);
    expect(ones.hashes).toEqual(whole.hashes);
    expect(fours.hashes).toEqual(whole.hashes);
    expect(ones.summary).toEqual(whole.summary);
    expect(fours.summary).toEqual(whole.summary);
    expect((whole.summary.runs as unknown[]).length).toBe(9);
    // resumed in batches: everything unchanged, nothing written again
    const again = await sandmine(["ingest", "--manifest", fleet.manifest, "--out", join(tmp, "ones"), "-q"], {
      SANDMINE_INGEST_BATCH: "2",
    });
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/ingested 0 run\(s\)/);
    expect(datasetHashes(join(tmp, "ones"))).toEqual(whole.hashes);
  }, 900_000);
});
