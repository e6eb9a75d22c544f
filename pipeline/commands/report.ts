/**
 * `sandmine report DATASET --out DIR [--reports DIR]`: one self-contained HTML file with the
 * dataset overview, coverage, per-image tables and any profile and validation reports.
 */
import { defineCommand, exactlyOne } from "../command.ts";
import { writeReport } from "../report/build.ts";

export const reportCommand = defineCommand({
  name: "report",
  summary:
    "One self-contained HTML file (no script, no network; plots inlined as SVG) with the dataset overview,\n" +
    "coverage, per-image syscall and argument tables, and the profile and validation reports found\n" +
    "in the dataset (or --reports folders). Runs characterize and coverage (default options) first.",
  args: "DATASET",
  options: {
    out: {
      type: "string",
      placeholder: "DIR",
      required: true,
      description: "folder for report.html (created)",
    },
    reports: {
      type: "string",
      placeholder: "DIR",
      multiple: true,
      description: "another folder to search for profile (*.report.json) and validation reports",
    },
  },
  async run(o, positionals) {
    const dataset = exactlyOne(positionals, "DATASET");
    const r = await writeReport({ dataset: dataset, out: o.out, reports: o.reports ?? [] });
    const d = r.data;
    process.stdout.write(
      `${r.file}: ${(r.bytes / 1024).toFixed(0)} KiB; ${d.images.length} images, ${d.runs.length} runs, ` +
        `${d.profiles.length} profile reports, ${d.validations.length} validation reports\n`,
    );
    return 0;
  },
});
