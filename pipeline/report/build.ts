/**
 * The report stage: the dataset's ReportData (load.ts) rendered into self-contained HTML under DIR:
 * report.html, and with more than INLINE_IMAGES images one page per image, DIR/images/NAME.html
 * (stages/report/fleet.ts). report.html is written atomically; the image pages are written into a
 * fresh folder that replaces DIR/images in one rename, so a reader never sees pages of two reports.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ReportData } from "../../stages/report/model.ts";
import { allPlots, fleetIndexHtml, reportHtml } from "../../stages/report/html.ts";
import { imageData, imagePage, perImagePages } from "../../stages/report/fleet.ts";
import { UsageError } from "../errors.ts";
import { writeAtomic } from "../atomic-write.ts";
import { JobProgress } from "../progress.ts";
import { loadReportData } from "./load.ts";
import { renderPlots } from "./svg.ts";

export interface ReportOptions {
  dataset: string;
  /** folder for report.html (created) */
  out: string;
  /** more folders to search for profile and validation reports */
  reports?: readonly string[];
  /** no progress display while the image pages are written */
  quiet?: boolean;
}

export interface ReportResult {
  file: string;
  data: ReportData;
  bytes: number;
  /** the image pages written (none when report.html holds every image) */
  pages: string[];
}

/** Writes one page per image into a new folder, then puts it in place of DIR/images. */
function writePages(d: ReportData, out: string, quiet: boolean): { pages: string[]; bytes: number } {
  const job = new JobProgress("report", "image pages", d.images.length, {}, quiet);
  const fresh = mkdtempSync(join(out, ".images-"));
  const pages: string[] = [];
  let bytes = 0;
  d.images.forEach((im, i) => {
    const sub = imageData(d, im.image);
    const html = reportHtml(sub, renderPlots(allPlots(sub)), "../report.html");
    const rel = imagePage(im.image);
    writeAtomic(join(fresh, rel.slice("images/".length)), html);
    pages.push(join(out, rel));
    bytes += Buffer.byteLength(html);
    job.step("pages", i + 1, d.images.length, { finished: i + 1 });
  });
  const dir = join(out, "images");
  const aside = `${fresh}.old`;
  if (existsSync(dir)) renameSync(dir, aside);
  renameSync(fresh, dir);
  rmSync(aside, { recursive: true, force: true });
  job.finish();
  return { pages, bytes };
}

/** Builds the report of `o.dataset` into `o.out`; returns report.html, its data and the image pages. */
export async function writeReport(o: ReportOptions): Promise<ReportResult> {
  if (!statSync(o.dataset, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`${o.dataset}: no such dataset folder`);
  }
  const data = await loadReportData(o.dataset, o.reports ?? []);
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, "report.html");
  if (!perImagePages(data)) {
    const html = reportHtml(data, renderPlots(allPlots(data)));
    writeAtomic(file, html);
    // pages of an earlier report of more images would contradict this one
    rmSync(join(o.out, "images"), { recursive: true, force: true });
    return { file, data, bytes: Buffer.byteLength(html), pages: [] };
  }
  const { pages, bytes } = writePages(data, o.out, o.quiet ?? false);
  const html = fleetIndexHtml(data);
  writeAtomic(file, html);
  return { file, data, bytes: bytes + Buffer.byteLength(html), pages };
}
