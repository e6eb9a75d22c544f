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
figure.plot { margin: 12px 0 20px; } figure.plot figure { margin: 0; } figure.plot > figcaption { color: #555; font-size: 12px; }
.grid { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }
.remark { color: #555; font-style: italic; } code { font-size: 12.5px; }
details > summary { cursor: pointer; margin: 8px 0; font-weight: 600; }
`;

/** The report page for `d` with its plots rendered (`figures`, by plot id). */
export function reportHtml(d: ReportData, figures: Figures): string {
  const nav = [
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
    overviewSection(d, figures),
    coverageSection(d, figures),
    imagesSection(d, figures),
    profilesSection(d, figures),
    validationSection(d, figures),
    `</body></html>`,
    ``,
  ].join("\n");
}
