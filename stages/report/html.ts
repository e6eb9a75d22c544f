/**
 * The self-contained HTML report: one file with the styles, the tables and every plot inlined as
 * SVG. No script, no external resource, no timestamp: the same data gives the same bytes.
 */
import { esc } from "./escape.ts";
import { indexSection } from "./fleet.ts";
import type { ReportData } from "./model.ts";
import type { Figures } from "./parts.ts";
import { plotId, reportPlots, type PlotSpec } from "./plots.ts";
import { resultPlots } from "./plots-results.ts";
import { coverageSection } from "./sections/coverage.ts";
import { imagesSection } from "./sections/images.ts";
import { overviewSection } from "./sections/overview.ts";
import { profilesSection } from "./sections/profiles.ts";
import { summarySection } from "./sections/summary.ts";
import { validationSection } from "./sections/validation.ts";

/** Every plot the report shows. */
export function allPlots(d: ReportData): PlotSpec[] {
  return [...reportPlots(d), ...resultPlots(d.profiles, d.validations)];
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1500px; padding: 0 24px 48px; color: #1b1b1b; }
h1 { font-size: 22px; margin: 24px 0 4px; } h2 { border-bottom: 1px solid #ccc; margin-top: 36px; } h3 { margin-top: 24px; }
nav a { margin-right: 14px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 12.5px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.ok { color: #17692f; } td.warn { color: #a35200; font-weight: 600; }
figure.plot { margin: 12px 0 20px; width: 100%; } figure.plot figure { margin: 0; } figure.plot > figcaption { color: #555; font-size: 13px; }
figure.plot > svg, figure.plot > figure > svg { display: block; width: 100%; max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; max-width: 100%; }
.grid { display: block; }
.risks { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 620px), 1fr)); gap: 16px; }
article.risk { border: 1px solid #d8d8d8; border-radius: 6px; padding: 4px 16px 10px; }
article.risk h3 { margin: 10px 0 4px; } article.risk p { margin: 6px 0; } article.risk table { width: 100%; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; }
.badge.ok { background: #dff3e4; color: #17692f; } .badge.warn { background: #fde9d4; color: #8a4300; }
ul.dangers, ul.alarms { margin: 4px 0 8px; padding-left: 20px; } ul.dangers li { margin: 2px 0; }
.sev { font-size: 11.5px; padding: 0 5px; border-radius: 4px; background: #eee; } .sev.warning { background: #fbe0e0; color: #8b1a1a; }
.by { color: #555; }
.remark { color: #555; font-style: italic; } code { font-size: 12.5px; }
details > summary { cursor: pointer; margin: 8px 0; font-weight: 600; }
`;

/** The page's head, up to and with its title and navigation. */
function head(title: string, nav: readonly (readonly [string, string])[], back?: string): string[] {
  return [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<link rel="icon" href="data:,">`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    ...(back === undefined ? [] : [`<p class="back"><a href="${esc(back)}">← all images</a></p>`]),
    `<h1>sandmine report</h1>`,
    `<nav>${nav.map(([id, label]) => `<a href="#${esc(id)}">${esc(label)}</a>`).join("")}</nav>`,
  ];
}

/**
 * The report page for `d` with its plots rendered (`figures`, by plot id): the risk summary first
 * (it must be on the first screen), then the index of its images, each linking to its section. `back` (an image's own page of a fleet's report): a link to
 * the fleet's index, and no index of its one image.
 */
export function reportHtml(d: ReportData, figures: Figures, back?: string): string {
  const nav: [string, string][] = [
    ["summary", "At a glance"],
    ...(back === undefined ? [["index", "Images"] as [string, string]] : []),
    ["overview", "Overview"],
    ["coverage", "Coverage"],
    ...d.images.map((im): [string, string] => [plotId("image", im.image), `Image ${im.image}`]),
    ["profiles", "Profiles"],
    ["validation", "Validation"],
  ];
  const title =
    back === undefined || d.images.length !== 1
      ? `sandmine report: ${d.dataset}`
      : `sandmine report: ${d.images[0]!.image} in ${d.dataset}`;
  return [
    ...head(title, nav, back),
    summarySection(d),
    ...(back === undefined ? [indexSection(d, false)] : []),
    overviewSection(d, figures),
    coverageSection(d, figures),
    imagesSection(d, figures),
    profilesSection(d, figures),
    validationSection(d, figures),
    `</body></html>`,
    ``,
  ].join("\n");
}

/**
 * The index page of a fleet's report (one page per image beside it): the index of the images
 * linking to their pages, the dataset's key figures, runs and rejects, and the coverage table; no
 * plot (each image's page has its own).
 */
export function fleetIndexHtml(d: ReportData): string {
  const none: Figures = new Map();
  return [
    ...head(`sandmine report: ${d.dataset}`, [
      ["index", "Images"],
      ["overview", "Overview"],
      ["coverage", "Coverage"],
    ]),
    indexSection(d, true),
    overviewSection(d, none, false),
    coverageSection(d, none, false),
    `</body></html>`,
    ``,
  ].join("\n");
}
