/**
 * Image names as users write them: a registry path with a tag (`docker.io/library/nginx:1.25`, its
 * folder `image=docker.io%2Flibrary%2Fnginx:1.25`) is analysed under its name, not the folder's
 * spelling (characterize found 0 runs and synthesize --all-images made a profile of no events).
 * Image and run names that look like numbers (a CI job's image id, run numbers) stay names: the
 * dataset's partition values are read as text. DuckDB's default reads `image=7/run=1` as integers,
 * and characterize then found no events for image "7" (runs 0, events 0, exit 0). A run named 01
 * beside 1 keeps its zero.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");

describe.skipIf(avail.skipReason !== null)("numeric image and run names", () => {
  const tmp = mkdtempSync(join(tmpdir(), "sandmine-numeric-"));
  const ds = join(tmp, "ds");
  let events = 0;

  beforeAll(async () => {
    const manifest = join(tmp, "m.yaml");
    const entry = (run: string, name: string): string =>
      `  - { path: ${JSON.stringify(join(avail.path!, "nginx", run))}, image: "7", run: "${name}", format: strace }\n`;
    writeFileSync(
      manifest,
      `captures:\n${entry("run-01", "1")}${entry("run-02", "01")}${entry("run-03", "2")}`,
    );
    const r = await runCli("ingest", "--manifest", manifest, "--out", ds, "-q", "--json");
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as { events: number };
    events = summary.events;
    expect(events).toBeGreaterThan(0);
  }, 300_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("characterize finds image 7's three runs (1, 01 and 2 apart) and all their events", async () => {
    const r = await runCli("characterize", ds, "--image", "7", "--json", "-q");
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out) as {
      image: string;
      runs: number;
      events: number;
      syscalls: { first_run: string }[];
    };
    expect(c.image).toBe("7");
    expect(c.runs).toBe(3);
    expect(c.events).toBe(events);
    expect(new Set(c.syscalls.map((s) => s.first_run))).toContain("01");
  }, 300_000);

  it("coverage names the runs as they were ingested", async () => {
    const r = await runCli("coverage", ds, "--image", "7", "--json", "-q");
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out) as {
      runs: number;
      levels: { type: { leave_one_out: { rows: { run: string }[] } } };
    };
    expect(c.runs).toBe(3);
    expect(c.levels.type.leave_one_out.rows.map((x) => x.run).sort()).toEqual(["01", "1", "2"]);
  }, 300_000);
});

describe.skipIf(avail.skipReason !== null)("an image named by its registry path and tag", () => {
  const image = "docker.io/library/nginx:1.25";
  const tmp = mkdtempSync(join(tmpdir(), "sandmine-image-name-"));
  const ds = join(tmp, "ds");
  let events = 0;

  beforeAll(async () => {
    const r = await runCli(
      "ingest",
      join(avail.path!, "nginx", "run-01"),
      "--image",
      image,
      "--run",
      "r1",
      "--out",
      ds,
      "-q",
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    events = (JSON.parse(r.out) as { events: number }).events;
    expect(readdirSync(join(ds, "events"))).toEqual(["image=docker.io%2Flibrary%2Fnginx:1.25"]);
  }, 300_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("characterize and coverage report it under its name, with its events, with and without --image", async () => {
    for (const sel of [[], ["--image", image]]) {
      const c = await runCli("characterize", ds, ...sel, "--json", "-q");
      expect(c.code, c.err).toBe(0);
      expect(JSON.parse(c.out)).toMatchObject({ image, runs: 1, events });
      const v = await runCli("coverage", ds, ...sel, "--json", "-q");
      expect(v.code, v.err).toBe(0);
      expect(JSON.parse(v.out)).toMatchObject({ image, runs: 1 });
    }
  }, 300_000);

  it("synthesize --all-images writes its profile from its events", async () => {
    const out = join(tmp, "profiles");
    const r = await runCli("synthesize", ds, "--all-images", "--out", out, "-q");
    expect(r.code, r.err).toBe(0);
    const file = join(out, "docker.io%2Flibrary%2Fnginx:1.25.json");
    const p = JSON.parse(readFileSync(file, "utf8")) as { syscalls: { names: string[] }[] };
    const names = p.syscalls.flatMap((s) => s.names);
    expect(names).toEqual(expect.arrayContaining(["epoll_wait", "accept4", "sendfile"]));
  }, 300_000);
});
