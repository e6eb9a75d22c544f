/**
 * `sandmine report` without a browser: bad input exits 2 with the reason (so does `npm run
 * notebooks`); the file is self-contained (no script, no external reference), has one inline SVG
 * per plot, is the same bytes on a second run, and escapes names taken from captures.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBundled } from "../util/bundled-dataset.ts";
import { loadReportData } from "../../pipeline/report/load.ts";
import { allPlots, reportHtml } from "../../stages/report/html.ts";
import type { Figures } from "../../stages/report/parts.ts";
import { esc } from "../../stages/report/escape.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT, bundledCaptures, requireOrSkip } from "../util/datasets.ts";

describe("sandmine report: bad input", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-report-bad-"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("exits 2 on a folder that is not a dataset, naming it", async () => {
    const r = await runCli("report", tmp, "--out", join(tmp, "out"));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${tmp}: not a sandmine dataset`);
  });

  it("exits 2 on a missing folder and without --out", async () => {
    const missing = await runCli("report", join(tmp, "nope"), "--out", join(tmp, "out"));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such dataset folder");
    const noOut = await runCli("report", tmp);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain("--out DIR is required");
  });

  it("npm run notebooks exits 2 on a folder that is not a dataset, naming it", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "pipeline", "notebooks.ts"), "build", tmp],
      {
        cwd: REPO_ROOT,
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`notebooks: ${tmp}: not a sandmine dataset`);
  });

  it("exits 2 on a profile report that is not JSON, naming the file", async () => {
    const reports = join(tmp, "reports");
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, "x.report.json"), "{ not json");
    const { findReports } = await import("../../pipeline/report/found.ts");
    expect(() => findReports([reports])).toThrow(`${join(reports, "x.report.json")}: not JSON`);
  });
});

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");

describe.skipIf(avail.skipReason !== null)("sandmine report on the bundled captures", () => {
  let tmp: string;
  let ds: string;
  beforeAll(async () => {
    ({ tmp, ds } = await ingestBundled("report"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("writes one self-contained file, the same bytes twice", async () => {
    const a = await runCli("report", ds, "--out", join(tmp, "a"));
    expect(a.code, a.err).toBe(0);
    expect(a.out).toMatch(
      /report\.html: \d+ KiB; 3 images, 16 runs, 0 profile reports, 0 validation reports/,
    );
    const b = await runCli("report", ds, "--out", join(tmp, "b"));
    expect(b.code, b.err).toBe(0);
    const html = readFileSync(join(tmp, "a", "report.html"), "utf8");
    expect(readFileSync(join(tmp, "b", "report.html"), "utf8")).toBe(html);
    expect(html).not.toMatch(/<script/i);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !r.startsWith("#") && !r.startsWith("data:"))).toEqual([]);
    expect(html).not.toMatch(/url\((?!#)/);
    const data = await loadReportData(ds);
    const plots = allPlots(data);
    expect(html.match(/<figure class="plot"/g)?.length).toBe(plots.length);
    for (const p of plots) expect(html).toContain(`<figure class="plot" id="${p.id}">`);
    expect(html).toContain("No profiles yet for this dataset");
    expect(html).toContain("No validation yet for this dataset");
  });

  it("shows a real validation report found in a --reports folder", async () => {
    // written by `sandmine validate datasets/experiments/busybox.yaml` (Docker backend) on this
    // project's development host; see test/report/fixtures/README.md
    const fixtures = join(REPO_ROOT, "test", "report", "fixtures");
    const v = JSON.parse(
      readFileSync(join(fixtures, "validation-busybox-e2e.json"), "utf8"),
    ) as ValidationReport;
    const r = await runCli("report", ds, "--out", join(tmp, "v"), "--reports", fixtures);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("1 validation reports");
    const html = readFileSync(join(tmp, "v", "report.html"), "utf8");
    const value = (figure: string) =>
      new RegExp(`data-figure="${figure.replace(/\./g, "\\.")}" data-value="([^"]*)"`).exec(html)?.[1];
    const p = v.profiles[0]!;
    expect(Number(value(`validation.0.${p.label}.passed`))).toBe(
      p.enforce!.rows.filter((x) => x.enforced.passed).length,
    );
    expect(Number(value(`validation.0.${p.label}.regressions`))).toBe(p.enforce!.regressions);
    expect(Number(value(`validation.0.${p.label}.denials`))).toBe(p.complain!.denials.length);
    for (const o of v.overhead!.rows)
      expect(Number(value(`validation.0.overhead.${o.config}.ratio`))).toBe(o.ratio);
    const overhead = html.slice(html.indexOf('<figure class="plot" id="overhead-0">'));
    const rounds = v.overhead!.rows.reduce((n, o) => n + o.rounds.length, 0);
    expect(overhead.slice(0, overhead.indexOf("</figure>")).match(/, round \d+: /g)?.length).toBe(rounds);
    for (const probe of p.probes!) expect(html).toContain(esc(probe.what));
  });

  it("escapes names taken from the captures", async () => {
    const data = await loadReportData(ds);
    data.images[0]!.image = `<img src=x onerror="alert(1)">`;
    data.runs[0]!.run = `run&<b>`;
    const figures: Figures = new Map(
      allPlots(data).map((p) => [p.id, { markup: "<svg></svg>", caption: p.caption }]),
    );
    const html = reportHtml(data, figures);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("run&amp;&lt;b&gt;");
  });
});
