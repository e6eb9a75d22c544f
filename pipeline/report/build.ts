/**
 * The report stage: the dataset's ReportData (load.ts) rendered into one self-contained HTML file,
 * DIR/report.html, written atomically.
 */
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ReportData } from "../../stages/report/model.ts";
import { allPlots, reportHtml } from "../../stages/report/html.ts";
import { UsageError } from "../errors.ts";
import { writeAtomic } from "../parquet.ts";
import { loadReportData } from "./load.ts";
import { renderPlots } from "./svg.ts";

export interface ReportOptions {
  dataset: string;
  /** folder for report.html (created) */
  out: string;
  /** more folders to search for profile and validation reports */
  reports?: readonly string[];
}

export interface ReportResult {
  file: string;
  data: ReportData;
  bytes: number;
}

/** Builds the report of `o.dataset` into `o.out`/report.html; returns the file and its data. */
export async function writeReport(o: ReportOptions): Promise<ReportResult> {
  if (!statSync(o.dataset, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`${o.dataset}: no such dataset folder`);
  }
  const data = await loadReportData(o.dataset, o.reports ?? []);
  const html = reportHtml(data, renderPlots(allPlots(data)));
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, "report.html");
  writeAtomic(file, html);
  return { file, data, bytes: Buffer.byteLength(html) };
}
