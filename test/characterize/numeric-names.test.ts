/**
 * Image and run names that look like numbers (a CI job's image id, run numbers) stay names: the
 * dataset's partition values are read as text. DuckDB's default reads `image=7/run=1` as integers,
 * and characterize then found no events for image "7" (runs 0, events 0, exit 0). A run named 01
 * beside 1 keeps its zero.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
