/**
 * `sandmine report DATASET --out DIR [--reports DIR]`: one self-contained HTML file with the
 * dataset overview, coverage, per-image tables and any profile and validation reports.
 */
import type { Command } from "../cli.ts";
import { UsageError } from "../errors.ts";
import { writeReport } from "../report/build.ts";

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
    const r = await writeReport({
      dataset: positionals[0]!,
      out: v.out,
      reports: (v.reports as string[] | undefined) ?? [],
    });
    const d = r.data;
    process.stdout.write(
      `${r.file}: ${(r.bytes / 1024).toFixed(0)} KiB; ${d.images.length} images, ${d.runs.length} runs, ` +
        `${d.profiles.length} profile reports, ${d.validations.length} validation reports\n`,
    );
    return 0;
  },
};
