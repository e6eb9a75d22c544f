/**
 * `sandmine report DATASET --out DIR [--reports DIR]`: one self-contained HTML file with the
 * dataset overview, coverage, per-image tables and any profile and validation reports.
 */
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "../cli.ts";
import { UsageError } from "../errors.ts";
import { writeAtomic } from "../parquet.ts";
import { allPlots, reportHtml } from "../../stages/report/html.ts";
import { loadReportData } from "../report/load.ts";
import { renderPlots } from "../report/svg.ts";

/** Builds the report of `dataset` into `outDir`/report.html; returns the file and its data. */
export async function runReport(dataset: string, outDir: string, more: readonly string[] = []) {
  if (!statSync(dataset, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`${dataset}: no such dataset folder`);
  }
  const data = await loadReportData(dataset, more);
  const html = reportHtml(data, renderPlots(allPlots(data)));
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "report.html");
  writeAtomic(file, html);
  return { file, data, bytes: Buffer.byteLength(html) };
}

export const reportCommand: Command = {
  summary:
    "One self-contained HTML file (no script, no network; plots inlined as SVG) with the dataset overview,\n" +
    "coverage, per-image syscall and argument tables, and the profile and validation reports found\n" +
    "in the dataset (or --reports folders). Runs characterize and coverage (default options) first.",
  usage: "report DATASET --out DIR [--reports DIR]…",
  options: {
    out: { type: "string" },
    reports: { type: "string", multiple: true },
  },
  describe: {
    out: "folder for report.html (created)",
    reports: "another folder to search for profile (*.report.json) and validation reports",
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new UsageError("give exactly one DATASET");
    if (typeof v.out !== "string") throw new UsageError("--out DIR is required");
    const r = await runReport(positionals[0]!, v.out, (v.reports as string[] | undefined) ?? []);
    const d = r.data;
    process.stdout.write(
      `${r.file}: ${(r.bytes / 1024).toFixed(0)} KiB; ${d.images.length} images, ${d.runs.length} runs, ` +
        `${d.profiles.length} profile reports, ${d.validations.length} validation reports\n`,
    );
    return 0;
  },
};
