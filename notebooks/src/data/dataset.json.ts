/**
 * Data loader of every page: the dataset's ReportData (stages/report/model.ts), the same object
 * `sandmine report` renders, as JSON, printed by `sandmine report DATASET --json` (the notebooks
 * import nothing from pipeline/ or stages/). The dataset comes from SANDMINE_DATASET (set by
 * `npm run notebooks -- DATASET`), more report folders from SANDMINE_REPORTS (":"-separated).
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const dataset = process.env.SANDMINE_DATASET;
if (!dataset) throw new Error("SANDMINE_DATASET is not set: build with npm run notebooks -- DATASET");
const more = (process.env.SANDMINE_REPORTS ?? "").split(":").filter((s) => s !== "");
const cli = [
  "--enable-source-maps",
  join(root, "pipeline", "launch.mjs"),
  "cli",
  "report",
  dataset,
  "--json",
];
const r = spawnSync(process.execPath, [...cli, ...more.flatMap((d) => ["--reports", d])], {
  stdio: ["ignore", "inherit", "inherit"],
});
if (r.status !== 0)
  throw new Error(`sandmine report --json failed (${r.error?.message ?? r.status ?? r.signal})`);
