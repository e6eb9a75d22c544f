/**
 * The notebooks and `sandmine report` in a real browser (Debian's chromium via playwright-core),
 * served from a local static server: every page renders its plots (SVG with marks for the data),
 * logs no console error and sends no request off localhost; a screenshot of each page goes to
 * out/screenshots/. The figures in the pages are compared with what `sandmine coverage --json`,
 * `characterize --json` and the profile report say for the same dataset.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBundled } from "../util/bundled-dataset.ts";
import type { ImageCharacterization } from "../../schemas/characterize.ts";
import type { ImageCoverage } from "../../schemas/coverage.ts";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT, bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import {
  chromiumSkipReason,
  figuresOf,
  launchChromium,
  marksOf,
  startServer,
  titlesOf,
  watchedPage,
  type Server,
} from "./browser.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
const noBrowser = chromiumSkipReason();
const SHOTS = join(REPO_ROOT, "out", "screenshots");
const NOTEBOOK_PAGES = ["index", "coverage", "images", "profiles", "validation"] as const;

let tmp: string;
let ds: string;
let site: string;
let server: Server;
let browser: Browser;
let coverage: ImageCoverage[];
let characterized: ImageCharacterization[];
/** the profile reports in the dataset, in the order the pages list them (by file) */
let profiles: ProfileReport[];

function buildNotebooks(dataset: string, out: string): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
        join(REPO_ROOT, "pipeline", "notebooks.ts"),
        "build",
        dataset,
        "--out",
        out,
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let log = "";
    child.stdout.on("data", (b: Buffer) => (log += b.toString()));
    child.stderr.on("data", (b: Buffer) => (log += b.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, log }));
  });
}

/** Opens `url`, waits for what it must show, checks errors and requests, writes a screenshot. */
async function visit(url: string, shot: string, ready: string) {
  const w = await watchedPage(browser);
  await w.page.goto(url, { waitUntil: "load" });
  await w.page.waitForSelector(ready, { timeout: 30_000 });
  await w.page.waitForLoadState("networkidle");
  mkdirSync(SHOTS, { recursive: true });
  await w.page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  return w;
}

/** The figures the CLI printed, under the names the pages give them. */
function cliFigures(): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const c of coverage) {
    for (const level of ["type", "arg"] as const) {
      const l = c.levels[level];
      const id = `coverage.${c.image}.${level}`;
      Object.assign(out, {
        [`${id}.runs`]: l.runs,
        [`${id}.observed`]: l.observed,
        [`${id}.chao2`]: l.chao2,
        [`${id}.chao2_lower`]: l.chao2_lower,
        [`${id}.chao2_upper`]: l.chao2_upper,
        [`${id}.p_new`]: l.p_new,
        [`${id}.expected_new`]: l.expected_new,
        [`${id}.runs_to_95`]: l.runs_to_95,
        [`${id}.verdict`]: l.verdict,
      });
    }
  }
  for (const c of characterized) {
    const id = `image.${c.image}`;
    out[`${id}.runs`] = c.runs;
    out[`${id}.events`] = c.events;
    out[`${id}.syscall_types`] = c.syscalls.length;
    out[`${id}.type_rules`] = c.rules.type_rules;
    out[`${id}.type_arg_rules`] = c.rules.type_arg_rules;
    for (const s of c.syscalls) out[`${id}.syscall.${s.syscall}.calls`] = s.calls;
    for (const a of c.args) out[`${id}.arg.${a.syscall}.${a.name}.distinct`] = a.distinct_values;
  }
  return out;
}

function expectFiguresMatch(shown: Record<string, string>, names: string[]): void {
  const cli = cliFigures();
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) {
    const want = cli[name];
    expect(shown[name], name).toBeDefined();
    expect(typeof want === "number" ? Number(shown[name]) : shown[name], name).toBe(want);
  }
}

describe.skipIf(avail.skipReason !== null || noBrowser !== null)("notebooks and report in chromium", () => {
  beforeAll(async () => {
    ({ tmp, ds } = await ingestBundled("browser"));
    site = join(tmp, "site");
    // real profile reports in the dataset, so the profiles page has something to show
    profiles = [];
    for (const image of ["memcached", "redis"]) {
      const synth = await runCli(
        "synthesize",
        ds,
        "--image",
        image,
        "--out",
        join(ds, "profiles", `${image}.json`),
      );
      expect(synth.code, synth.err).toBe(0);
      profiles.push(
        JSON.parse(readFileSync(join(ds, "profiles", `${image}.report.json`), "utf8")) as ProfileReport,
      );
    }
    const report = await runCli("report", ds, "--out", join(site, "report"));
    expect(report.code, report.err).toBe(0);
    const nb = await buildNotebooks(ds, join(site, "notebooks"));
    expect(nb.code, nb.log).toBe(0);
    const cov = await runCli("coverage", ds, "--json");
    expect(cov.code, cov.err).toBe(0);
    coverage = cov.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ImageCoverage);
    const ch = await runCli("characterize", ds, "--json");
    expect(ch.code, ch.err).toBe(0);
    characterized = ch.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ImageCharacterization);
    server = await startServer(site);
    browser = await launchChromium();
  }, 600_000); // ingest, two profiles, the report and a cold notebooks build on a busy 2-core machine
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("the report renders every plot with marks, offline and without errors", async () => {
    const w = await visit(`${server.origin}/report/report.html`, "report.png", "#validation");
    expect(w.errors).toEqual([]);
    expect(w.external).toEqual([]);
    const marks = await marksOf(w.page);
    const ids = Object.keys(marks);
    // overview 2, estimates 2, p_new 1, per image 4, the profile's comparison when it has one
    expect(ids.length).toBeGreaterThanOrEqual(5 + 4 * coverage.length);
    for (const id of ids) {
      const drawn = Object.values(marks[id]!).reduce((a, b) => a + b, 0);
      expect(drawn, `${id}: ${JSON.stringify(marks[id])}`).toBeGreaterThan(0);
    }
    for (const c of coverage) {
      for (const level of ["type", "arg"] as const) {
        const curve = c.levels[level].curve;
        const dots = await titlesOf(w.page, `discovery-${c.image}-${level}`, "dot");
        expect(dots).toEqual(
          curve.map((p) => expect.stringContaining(`${p.runs} runs: mean ${p.mean.toFixed(2)} `)),
        );
      }
      const top = await titlesOf(w.page, `top-${c.image}`, "bar");
      expect(top.length).toBe(Math.min(20, characterized.find((x) => x.image === c.image)!.syscalls.length));
    }
    const runs = await titlesOf(w.page, "events-per-run", "bar");
    expect(runs.length).toBe(16);
  });

  it("the report's figures are the ones the CLI prints", async () => {
    const w = await visit(`${server.origin}/report/report.html`, "report.png", "#validation");
    const shown = await figuresOf(w.page);
    expectFiguresMatch(
      shown,
      Object.keys(cliFigures()).filter((k) => k.startsWith("coverage.") || k.startsWith("image.")),
    );
    profiles.forEach((p, i) => {
      expect(Number(shown[`profile.${i}.allowed`])).toBe(p.allowed);
      expect(Number(shown[`profile.${i}.conditional`])).toBe(p.conditional);
      expect(Number(shown[`profile.${i}.profile_rules`])).toBe(p.rules.profile_rules);
    });
    const cells = await titlesOf(w.page, "profiles-matrix", "cell");
    expect(cells.length).toBe(profiles.reduce((n, p) => n + p.syscalls.length, 0));
    expect(cells).toContain(`redis: ${profiles[1]!.syscalls[0]!.name} ${profiles[1]!.syscalls[0]!.verdict}`);
    expect(await w.page.textContent("#validation")).toContain("No validation yet for this dataset");
  });

  for (const name of NOTEBOOK_PAGES) {
    it(`notebook page ${name} renders offline without errors`, async () => {
      const ready =
        name === "profiles" || name === "validation" ? ".sandmine section" : ".sandmine figure.plot svg";
      const w = await visit(`${server.origin}/notebooks/${name}.html`, `notebook-${name}.png`, ready);
      expect(w.errors).toEqual([]);
      expect(w.external).toEqual([]);
      const marks = await marksOf(w.page);
      for (const [id, m] of Object.entries(marks)) {
        expect(
          Object.values(m).reduce((a, b) => a + b, 0),
          id,
        ).toBeGreaterThan(0);
      }
      const shown = await figuresOf(w.page);
      if (name === "coverage") {
        expect(Object.keys(marks).length).toBe(3 + 2 * coverage.length);
        expectFiguresMatch(
          shown,
          Object.keys(cliFigures()).filter((k) => k.startsWith("coverage.")),
        );
        for (const c of coverage) {
          const dots = await titlesOf(w.page, `discovery-${c.image}-type`, "dot");
          expect(dots).toEqual(
            c.levels.type.curve.map((p) => expect.stringContaining(`mean ${p.mean.toFixed(2)} `)),
          );
        }
      }
      if (name === "images") {
        // the first image is shown; its figures match characterize
        const first = characterized[0]!.image;
        expect(Object.keys(marks)).toEqual([`top-${first}`, `phases-${first}`]);
        expectFiguresMatch(
          shown,
          Object.keys(cliFigures()).filter((k) => k.startsWith(`image.${first}.`)),
        );
      }
      if (name === "index") expect(Number(shown["dataset.runs"])).toBe(16);
      if (name === "profiles") {
        profiles.forEach((p, i) => expect(Number(shown[`profile.${i}.allowed`])).toBe(p.allowed));
        expect(Object.keys(marks)).toContain("profiles-matrix");
      }
      if (name === "validation") {
        expect(await w.page.textContent(".sandmine")).toContain("No validation yet for this dataset");
      }
    });
  }
});
