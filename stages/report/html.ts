/**
 * The self-contained HTML report: one file with the styles, the tables and every plot inlined as
 * SVG. No script, no external resource, no timestamp: the same data gives the same bytes.
 */
import { esc } from "./escape.ts";
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

/** The report page for `d` with its plots rendered (`figures`, by plot id). */
export function reportHtml(d: ReportData, figures: Figures): string {
  const nav = [
    ["summary", "At a glance"],
    ["overview", "Overview"],
    ["coverage", "Coverage"],
    ...d.images.map((im) => [plotId("image", im.image), `Image ${im.image}`]),
    ["profiles", "Profiles"],
    ["validation", "Validation"],
  ]
    .map(([id, label]) => `<a href="#${esc(id!)}">${esc(label!)}</a>`)
    .join("");
  return [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<link rel="icon" href="data:,">`,
    `<title>sandmine report: ${esc(d.dataset)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>sandmine report</h1>`,
    `<nav>${nav}</nav>`,
    summarySection(d),
    overviewSection(d, figures),
    coverageSection(d, figures),
    imagesSection(d, figures),
    profilesSection(d, figures),
    validationSection(d, figures),
    `</body></html>`,
    ``,
  ].join("\n");
}
