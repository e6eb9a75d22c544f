/**
 * The report's at-a-glance summary in Debian's chromium, at 1400 px and 800 px wide: it comes
 * first; per image it shows the coverage verdict and P(new) that `coverage --json` prints, each
 * profile's size against Docker's default as its report says, the dangerous syscalls its profiles
 * allow named once per image with their CVEs, the probes blocked and the false alarms of the
 * validation report; the plots fill the page's width with labels of at least 9 px, the page never
 * scrolls sideways, and the discovery curves start at 0 with the Chao2 estimate drawn. Screenshots
 * of both widths go to out/screenshots/ (report-summary-WIDTH.png, the first screen, and
 * report-summary-WIDTH-full.png).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageCoverage } from "../../pipeline/analyze/coverage.ts";
import { DANGEROUS_SYSCALLS } from "../../schemas/dangerous-syscalls.ts";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import { percent } from "../../stages/report/format.ts";
import { ingestBundled } from "../util/bundled-dataset.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT, bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { chromiumSkipReason, launchChromium, startServer, watchedPage, type Server } from "./browser.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
const noBrowser = chromiumSkipReason();
const SHOTS = join(REPO_ROOT, "out", "screenshots");
const FIXTURES = join(REPO_ROOT, "test", "report", "fixtures");
const WIDTHS = [1400, 800] as const;
const IMAGES = ["memcached", "nginx", "redis"];

let tmp: string;
let server: Server;
let browser: Browser;
let coverage: ImageCoverage[];
const reports = new Map<string, ProfileReport>();

describe.skipIf(avail.skipReason !== null || noBrowser !== null)("the report's summary in chromium", () => {
  beforeAll(async () => {
    let ds: string;
    ({ tmp, ds } = await ingestBundled("summary"));
    // the safe profile of every image, and nginx's names-only one too (two profiles of one image)
    for (const [image, args] of [...IMAGES.map((i) => [i, "safe"]), ["nginx", "none"]] as const) {
      const out = join(ds, "profiles", `${image}-${args}.json`);
      const s = await runCli("synthesize", ds, "--image", image, "--args", args, "--out", out);
      expect(s.code, s.err).toBe(0);
    }
    for (const f of readdirSync(join(ds, "profiles")).filter((f) => f.endsWith(".report.json")))
      reports.set(
        f.replace(/\.report\.json$/, ""),
        JSON.parse(readFileSync(join(ds, "profiles", f), "utf8")),
      );
    const r = await runCli("report", ds, "--out", join(tmp, "site"), "--reports", FIXTURES);
    expect(r.code, r.err).toBe(0);
    const cov = await runCli("coverage", ds, "--json");
    coverage = cov.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ImageCoverage);
    server = await startServer(join(tmp, "site"));
    browser = await launchChromium();
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const width of WIDTHS) {
    it(`at ${width} px: the summary first, plots at full width, legible, no sideways scrolling`, async () => {
      const w = await watchedPage(browser, width);
      await w.page.goto(`${server.origin}/report.html`, { waitUntil: "load" });
      mkdirSync(SHOTS, { recursive: true });
      await w.page.screenshot({ path: join(SHOTS, `report-summary-${width}.png`) });
      await w.page.screenshot({ path: join(SHOTS, `report-summary-${width}-full.png`), fullPage: true });
      expect(w.errors).toEqual([]);
      expect(w.external).toEqual([]);
      const layout = await w.page.evaluate(() => {
        const sections = [...document.querySelectorAll("body > section")].map((s) => s.id);
        const summaryTop = document.getElementById("summary")!.getBoundingClientRect().top;
        const plots = [...document.querySelectorAll("figure.plot")].map((f) => {
          const svg = f.querySelector(":scope > svg, :scope > figure > svg")!;
          const ticks = [...svg.querySelectorAll('g[aria-label$="tick label"] text')]
            .filter((t) => (t.textContent ?? "").trim() !== "") // a log axis leaves its minor ticks unlabelled
            .map((t) => t.getBoundingClientRect().height);
          return {
            id: f.id,
            ratio: svg.getBoundingClientRect().width / f.parentElement!.getBoundingClientRect().width,
            smallest: ticks.length ? Math.min(...ticks) : null,
          };
        });
        return {
          sections,
          summaryTop,
          plots,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      expect(layout.sections[0]).toBe("summary");
      expect(layout.summaryTop).toBeLessThan(200); // on the first screen, under the title and the links
      expect(layout.overflow).toBeLessThanOrEqual(0);
      expect(layout.plots.length).toBeGreaterThan(15);
      for (const p of layout.plots) {
        expect(p.ratio, p.id).toBeGreaterThan(0.97);
        // tick labels of 14 px scaled with the plot: at least 9 px high on screen
        if (p.smallest !== null) expect(p.smallest, p.id).toBeGreaterThanOrEqual(9);
      }
    });
  }

  it("per image: verdict, P(new), size against Docker's default, dangerous syscalls once, probes, false alarms", async () => {
    const w = await watchedPage(browser, 800);
    await w.page.goto(`${server.origin}/report.html`, { waitUntil: "load" });
    const cards = await w.page.evaluate(() =>
      [...document.querySelectorAll("#summary article.risk")].map((a) => ({
        image: a.querySelector("h3")!.textContent!,
        text: a.textContent ?? "",
        figures: Object.fromEntries(
          [...a.querySelectorAll("[data-figure]")].map((e) => [
            e.getAttribute("data-figure")!,
            e.getAttribute("data-value") ?? e.textContent ?? "",
          ]),
        ),
        dangerous: [...a.querySelectorAll("li[data-dangerous]")].map((l) =>
          l.getAttribute("data-dangerous")!,
        ),
      })),
    );
    expect(cards.map((c) => c.image)).toEqual([...IMAGES, "busybox-e2e"]);
    for (const image of IMAGES) {
      const card = cards.find((c) => c.image === image)!;
      const cov = coverage.find((c) => c.image === image)!;
      expect(card.figures[`summary.${image}.verdict`]).toBe(cov.levels.type.verdict);
      expect(Number(card.figures[`summary.${image}.p_new`])).toBe(cov.levels.type.p_new);
      expect(card.text).toContain(`P(new syscall in the next run) ${percent(cov.levels.type.p_new)}`);
      const mine = [...reports].filter(([, r]) => r.image === image);
      for (const [name, r] of mine) {
        const docker = r.defaults.find((d) => d.runtime === "docker")!;
        expect(Number(card.figures[`summary.${image}.${name}.allowed`])).toBe(r.allowed);
        expect(Number(card.figures[`summary.${image}.${name}.allowed_default`])).toBe(docker.allowed_default);
        expect(Number(card.figures[`summary.${image}.${name}.removed`])).toBe(docker.only_default.length);
      }
      // the dangerous syscalls any of the image's profiles allow, each named once
      const allowed = new Set(
        mine.flatMap(([, r]) => r.syscalls.filter((s) => s.verdict !== "enosys").map((s) => s.name)),
      );
      const want = DANGEROUS_SYSCALLS.filter((d) => allowed.has(d.name));
      expect(card.dangerous).toEqual(want.map((d) => d.name));
      expect(Number(card.figures[`summary.${image}.dangerous`])).toBe(want.length);
      for (const d of want)
        for (const c of d.cves) expect(card.text.split(c.id).length - 1, `${image} ${c.id}`).toBe(1);
      expect(card.text).toContain("Not validated on a host yet");
    }
    expect(cards.find((c) => c.image === "nginx")!.text).toMatch(
      /nginx-none.*nginx-safe|nginx-safe.*nginx-none/s,
    );
    // the validation report of the busybox experiment: its probes and the denials its complain run logged
    const v = JSON.parse(
      readFileSync(join(FIXTURES, "validation-busybox-e2e.json"), "utf8"),
    ) as ValidationReport;
    const safe = v.profiles.find((p) => p.label === "safe")!;
    const bb = cards.find((c) => c.image === "busybox-e2e")!;
    expect(bb.figures["summary.busybox-e2e.safe.probes_blocked"]).toBe(
      String(safe.probes!.filter((p) => p.blocked).length),
    );
    expect(bb.text).toContain(`safe ${safe.probes!.length}/${safe.probes!.length}`);
    expect(Number(bb.figures["summary.busybox-e2e.false_alarms"])).toBe(2);
    for (const s of safe.complain!.summary)
      expect(bb.text).toContain(`complain mode: ${s.syscall} denied ${s.count}×`);
  });

  it("discovery curves: a y-axis from 0, the Chao2 estimate and its interval drawn", async () => {
    const w = await watchedPage(browser, 1400);
    await w.page.goto(`${server.origin}/report.html`, { waitUntil: "load" });
    for (const c of coverage)
      for (const level of ["type", "arg"] as const) {
        const l = c.levels[level];
        const shown = await w.page.evaluate((id) => {
          const f = document.getElementById(id)!;
          const ticks = [...f.querySelectorAll('g[aria-label="y-axis tick label"] text')].map(
            (t) => t.textContent,
          );
          const titles = [...f.querySelectorAll("svg title")].map((t) => t.textContent ?? "");
          return { ticks, titles };
        }, `discovery-${c.image}-${level}`);
        expect(shown.ticks[0], `${c.image} ${level}`).toBe("0");
        const one = (x: number) => String(Math.round(x * 10) / 10);
        expect(shown.titles).toContain(
          `Chao2 ${one(l.chao2)} [${one(l.chao2_lower)}, ${one(l.chao2_upper)}]`,
        );
        expect(shown.titles).toContain(
          `95% interval of the total: [${one(l.chao2_lower)}, ${one(l.chao2_upper)}]`,
        );
      }
  });
});
