/**
 * The report at fleet size. Every report opens with an index of its images (runs, syscall types,
 * coverage verdict, profile size, risk). Up to INLINE_IMAGES images, report.html holds everything,
 * the index linking to each image's section; beyond that, report.html is the index with the
 * dataset's key figures, runs, rejects and coverage tables, and each image gets a page of its own
 * (images/NAME.html: the report of that image alone), so neither page grows with the fleet's plots.
 */
import { esc } from "./escape.ts";
import { percent } from "./format.ts";
import type { ReportData } from "./model.ts";
import { note } from "./parts.ts";
import { plotId } from "./plots.ts";
import { riskSummary, type ImageRisk } from "./risk.ts";

/** Up to this many images the report is one page. */
export const INLINE_IMAGES = 12;

/** Whether `d` gets one page per image. */
export const perImagePages = (d: ReportData): boolean => d.images.length > INLINE_IMAGES;

/** An image's page, relative to report.html (plotId keeps any image name a safe file name). */
export const imagePage = (image: string): string => `images/${plotId(image)}.html`;

/** The report of one image: its runs, rejects, characterization, coverage and reports only. */
export function imageData(d: ReportData, image: string): ReportData {
  const risk = riskSummary(d).find((r) => r.image === image);
  const validations = new Set(risk?.validations ?? []);
  return {
    ...d,
    captures: d.runs.filter((r) => r.image === image).length,
    runs: d.runs.filter((r) => r.image === image),
    rejects: d.rejects.filter((r) => r.image === image),
    images: d.images.filter((im) => im.image === image),
    profiles: d.profiles.filter((p) => p.report.image === image),
    validations: d.validations.filter((v) => validations.has(v.file)),
  };
}

/** The profile-size cell: each profile's allowed syscalls (of the runtime default's). */
function profileSize(r: ImageRisk | undefined): string {
  if (!r || r.profiles.length === 0) return "–";
  return r.profiles.map((p) => `${p.allowed}/${p.allowed_default} (${p.arch}, ${p.args})`).join("; ");
}

/** The risk cell: dangerous syscalls still allowed, false alarms when validated. */
function riskText(r: ImageRisk | undefined): string {
  if (!r || r.profiles.length === 0) return "no profile yet";
  const parts = [`${r.dangers.length} dangerous allowed`];
  if (r.false_alarms !== null) parts.push(`${r.false_alarms.length} false alarms`);
  return parts.join(", ");
}

/**
 * The index: one row per image with its runs, syscall types, coverage verdict (syscall types, with
 * P(new)), profile size (allowed syscalls against the runtime default) and risk; the image's name
 * links to its section (one page) or its page (`pages`).
 */
export function indexSection(d: ReportData, pages: boolean): string {
  const risks = new Map(riskSummary(d).map((r) => [r.image, r]));
  const rows = d.images.map((im) => {
    const r = risks.get(im.image);
    const lv = im.coverage.type;
    const href = pages ? imagePage(im.image) : `#${plotId("image", im.image)}`;
    const id = `index.${im.image}`;
    const cls = lv.verdict === "saturated" ? "ok" : "warn";
    return (
      `<tr><td><a href="${esc(href)}">${esc(im.image)}</a></td>` +
      `<td class="num" data-figure="${esc(id)}.runs" data-value="${im.runs}">${im.runs}</td>` +
      `<td class="num" data-figure="${esc(id)}.syscall_types" data-value="${im.rules.type_rules_all_phases}">${im.rules.type_rules_all_phases}</td>` +
      `<td class="${cls}" data-figure="${esc(id)}.verdict">${esc(lv.verdict)} (P(new) ${esc(percent(lv.p_new))})</td>` +
      `<td>${esc(profileSize(r))}</td>` +
      `<td data-figure="${esc(id)}.risk">${esc(riskText(r))}</td></tr>`
    );
  });
  const head = [
    "image",
    "runs",
    "syscall types",
    "coverage verdict",
    "profile size (allowed/default)",
    "risk",
  ];
  return [
    `<section id="index"><h2>Images (${d.images.length})</h2>`,
    pages
      ? `<p>One page per image: its runs, coverage, syscall and argument tables and its profiles.</p>`
      : "",
    `<div class="table-wrap"><table id="image-index">`,
    `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>`,
    ...rows,
    `</tbody></table></div>`,
    d.images.length === 0 ? note("No images in this dataset.") : "",
    `</section>`,
  ]
    .filter((x) => x !== "")
    .join("\n");
}
