/**
 * `--all-images` over a synthetic fleet (test/util/fleet.ts: the bundled real captures resampled
 * into 13 images of 2 captures): characterize, coverage and synthesize write for each image exactly
 * the bytes `--image NAME` writes and print exactly what the per-image commands print one after the
 * other, whatever --workers; ingest's summary counts per image; the job's progress display.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../util/cli.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { writeFleet, type Fleet } from "../util/fleet.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
const LONG = 600_000;

let tmp: string;
let fleet: Fleet;
let ds: string;
let images: string[];

/** sha256 of every file under `dir` (relative path → hash). */
function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

interface IngestJson {
  lines: number;
  events: number;
  rejected: number;
  skipped: number;
  runs: { image: string; run: string }[];
  unchanged: unknown[];
  images: {
    image: string;
    runs: number;
    files: number;
    events: number;
    rejected: number;
    unchanged: number;
  }[];
}

describe.skipIf(avail.skipReason !== null)("a fleet: ingest --manifest and --all-images", () => {
  let first: IngestJson;
  let progress: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-fleet-"));
    fleet = writeFleet(join(tmp, "fleet"), { images: 13, capturesPerImage: 2, seed: 7 });
    ds = join(tmp, "ds");
    const r = await runCli("ingest", "--manifest", fleet.manifest, "--out", ds, "--json", "--workers", "2");
    expect(r.code, r.err).toBe(0);
    first = JSON.parse(r.out) as IngestJson;
    progress = r.err;
    images = [...new Set(fleet.captures.map((c) => c.image))].sort();
  }, LONG);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("ingest's summary counts each image: its runs, files, events and rejects add up to the totals", () => {
    expect(first.runs).toHaveLength(26);
    expect(first.images.map((x) => x.image)).toEqual(images);
    for (const x of first.images) {
      expect(x.runs, x.image).toBe(2);
      expect(x.unchanged, x.image).toBe(0);
      expect(x.files, x.image).toBeGreaterThan(0);
    }
    const sum = (f: (x: IngestJson["images"][number]) => number) =>
      first.images.reduce((n, x) => n + f(x), 0);
    expect(sum((x) => x.events)).toBe(first.events);
    expect(sum((x) => x.rejected)).toBe(first.rejected);
    expect(first.lines).toBe(first.events + first.rejected + first.skipped);
    expect(first.lines).toBe(fleet.lines);
  });

  it("one progress display for the job (plain lines off a terminal): captures done of the total", () => {
    // --json makes ingest quiet unless -q is left out: this run printed its progress
    const lines = progress.split("\n").filter((l) => l.startsWith("ingest: "));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/^ingest: 26\/26 captures · \S+ events · \S+ events\/s · /);
    expect(progress).not.toMatch(/^(scan|parse)[: ]/m);
  });

  it("a manifest ingested again skips every capture, counted per image as unchanged; -q prints no progress", async () => {
    const r = await runCli("ingest", "--manifest", fleet.manifest, "--out", ds, "--json", "-q");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe("");
    const again = JSON.parse(r.out) as IngestJson;
    expect(again.runs).toHaveLength(0);
    expect(again.unchanged).toHaveLength(26);
    expect(again.images.map((x) => [x.image, x.runs, x.unchanged])).toEqual(images.map((im) => [im, 0, 2]));
    const text = await runCli("ingest", "--manifest", fleet.manifest, "--out", ds, "-q");
    expect(text.out).toContain(
      `per image (13):\n  ${images[0]}: 0 run(s), 0 file(s), 0 events, 0 rejected, 2 unchanged`,
    );
  });

  for (const stage of ["characterize", "coverage"] as const) {
    it(
      `${stage} --all-images writes and prints what --image NAME does for each image, with 1 or 2 workers`,
      async () => {
        const all = await runCli(stage, ds, "--all-images", "--json");
        expect(all.code, all.err).toBe(0);
        expect(all.err).toMatch(new RegExp(`^${stage}: 13/13 images`, "m"));
        const together = digests(join(ds, stage));
        expect(Object.keys(together).filter((f) => f.endsWith(".json"))).toHaveLength(13);
        const one = await runCli(stage, ds, "--all-images", "--json", "--workers", "1", "-q");
        expect(one.out).toBe(all.out);
        expect(digests(join(ds, stage))).toEqual(together);
        rmSync(join(ds, stage), { recursive: true });
        let printed = "";
        for (const image of images) {
          const r = await runCli(stage, ds, "--image", image, "--json", "-q");
          expect(r.code, r.err).toBe(0);
          printed += r.out;
        }
        expect(printed).toBe(all.out);
        expect(digests(join(ds, stage))).toEqual(together);
      },
      LONG,
    );
  }

  it(
    "the analysis cache built in batches of a few runs (SANDMINE_BATCH_RUNS=5: 7 batches) has the bytes of one pass, and so do the results",
    async () => {
      const base = await runCli("characterize", ds, "--all-images", "--json", "-q");
      const cache = digests(join(ds, "analysis"));
      expect(Object.keys(cache).length).toBeGreaterThan(0);
      const results = digests(join(ds, "characterize"));
      rmSync(join(ds, "analysis"), { recursive: true });
      rmSync(join(ds, "characterize"), { recursive: true });
      process.env.SANDMINE_BATCH_RUNS = "5";
      try {
        const batched = await runCli("characterize", ds, "--all-images", "--json", "-q");
        expect(batched.code, batched.err).toBe(0);
        expect(batched.out).toBe(base.out);
      } finally {
        delete process.env.SANDMINE_BATCH_RUNS;
      }
      expect(digests(join(ds, "analysis"))).toEqual(cache);
      expect(digests(join(ds, "characterize"))).toEqual(results);
    },
    LONG,
  );

  it(
    "synthesize --all-images --out DIR writes each image's profile and report as --image NAME --out DIR/NAME.json does",
    async () => {
      const dir = join(tmp, "profiles");
      const all = await runCli("synthesize", ds, "--all-images", "--out", dir, "--json", "-q");
      expect(all.code, all.err).toBeLessThan(2);
      const together = digests(dir);
      expect(Object.keys(together).sort()).toEqual(
        images.flatMap((im) => [`${im}.json`, `${im}.report.json`]).sort(),
      );
      rmSync(dir, { recursive: true });
      let printed = "";
      for (const image of images) {
        const r = await runCli(
          "synthesize",
          ds,
          "--image",
          image,
          "--out",
          join(dir, `${image}.json`),
          "--json",
          "-q",
        );
        expect(r.code, r.err).toBeLessThan(2);
        printed += r.out;
      }
      expect(printed).toBe(all.out);
      expect(digests(dir)).toEqual(together);
    },
    LONG,
  );

  it(
    "report: with more than 12 images report.html is an index of every image, each with a page of its own",
    async () => {
      const out = join(tmp, "report");
      const r = await runCli("report", ds, "--out", out, "--reports", join(tmp, "profiles"));
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain(`13 image pages in ${join(out, "images")}`);
      const index = readFileSync(join(out, "report.html"), "utf8");
      const rows = [
        ...index.matchAll(/<tr><td><a href="images\/([^"]+)\.html">([^<]+)<\/a><\/td>(.*?)<\/tr>/g),
      ];
      expect(rows.map((m) => m[2])).toEqual(images);
      expect(readdirSync(join(out, "images")).sort()).toEqual(rows.map((m) => `${m[1]}.html`).sort());
      const ingest = JSON.parse(
        (await runCli("ingest", "--manifest", fleet.manifest, "--out", ds, "--json", "-q")).out,
      ) as IngestJson;
      for (const [, file, image, cells] of rows) {
        // runs, syscall types, verdict, profile size (a profile report per image: synthesize above), risk
        expect(cells, image).toContain(`data-figure="index.${image}.runs" data-value="2"`);
        expect(cells, image).toMatch(/\d+\/\d+ \(x86_64, safe\)/);
        expect(cells, image).toMatch(/\d+ dangerous allowed/);
        expect(ingest.images.find((x) => x.image === image)?.unchanged).toBe(2);
        const page = readFileSync(join(out, "images", `${file}.html`), "utf8");
        expect(page).toContain(`<h2>Image ${image}</h2>`);
        expect(page).toContain(`<a href="../report.html">`);
        for (const other of images.filter((x) => x !== image)) expect(page).not.toContain(`Image ${other}<`);
        const refs = [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
        expect(
          refs.filter((x) => !x.startsWith("#") && !x.startsWith("data:") && !x.startsWith("https://")),
        ).toEqual(["../report.html"]);
      }
      expect(index).not.toContain("<svg");
    },
    LONG,
  );

  it("--image and --all-images together, or a bad --max-memory, are usage errors (exit 2)", async () => {
    const both = await runCli("characterize", ds, "--image", images[0]!, "--all-images");
    expect(both.code).toBe(2);
    expect(both.err).toContain("either --image or --all-images");
    const bad = await runCli("coverage", ds, "--all-images", "--max-memory", "lots");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--max-memory lots");
  });
});
