/**
 * `sandmine report DATASET --out DIR [--reports DIR]`: one self-contained HTML file with the
 * dataset overview, coverage, per-image tables and any profile and validation reports;
 * `--json` prints the report's data instead (what the notebooks' data loader reads).
 */
import { join } from "node:path";
import { defineCommand, exactlyOne } from "../command.ts";
import { UsageError } from "../errors.ts";
import { toJson } from "../analyze/write.ts";
import { writeReport } from "../report/build.ts";
import { loadReportData } from "../report/load.ts";

export const reportCommand = defineCommand({
  name: "report",
  summary:
    "One self-contained HTML file (no script, no network; plots inlined as SVG) with an index of the images,\n" +
    "the dataset overview, coverage, per-image syscall and argument tables, and the profile and validation\n" +
    "reports found in the dataset (or --reports folders); with more than 12 images report.html is the index\n" +
    "and each image has a page of its own (DIR/images/NAME.html). Runs characterize and coverage (default options) first.",
  args: "DATASET",
  options: {
    out: {
      type: "string",
      placeholder: "DIR",
      description: "folder for report.html (created; required unless --json)",
    },
    reports: {
      type: "string",
      placeholder: "DIR",
      multiple: true,
      description: "another folder to search for profile (*.report.json) and validation reports",
    },
    json: {
      type: "boolean",
      default: false,
      description:
        "print the report's data (what the notebooks render) as JSON instead of writing report.html",
    },
  },
  async run(o, positionals) {
    const dataset = exactlyOne(positionals, "DATASET");
    const reports = o.reports ?? [];
    if (o.json) {
      const data = await loadReportData(dataset, reports);
      warnStale(data.images);
      process.stdout.write(toJson(data) + "\n");
      return 0;
    }
    if (o.out === undefined) throw new UsageError("--out DIR is required");
    const r = await writeReport({ dataset, out: o.out, reports, quiet: o.quiet });
    const d = r.data;
    warnStale(d.images);
    const pages = r.pages.length
      ? ` (the index; ${r.pages.length} image pages in ${join(o.out, "images")})`
      : "";
    process.stdout.write(
      `${r.file}${pages}: ${(r.bytes / 1024).toFixed(0)} KiB; ${d.images.length} images, ${d.runs.length} runs, ` +
        `${d.profiles.length} profile reports, ${d.validations.length} validation reports\n`,
    );
    return 0;
  },
});

/**
 * A stale reach.json is left out of the report's figures; say so on stderr too (even with -q),
 * so a batch job's log shows it beside the exit status.
 */
function warnStale(images: readonly { image: string; reach?: { stale?: string } }[]): void {
  for (const i of images)
    if (i.reach?.stale) process.stderr.write(`sandmine report: warning: ${i.reach.stale}\n`);
}
