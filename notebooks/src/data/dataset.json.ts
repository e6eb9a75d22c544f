/**
 * Data loader of every page: the dataset's ReportData (stages/report/model.ts), the same object
 * `sandmine report` renders, as JSON. The dataset comes from SANDMINE_DATASET (set by
 * `npm run notebooks -- DATASET`), more report folders from SANDMINE_REPORTS (":"-separated).
 */
import { loadReportData } from "../../../pipeline/report/load.ts";
import { toJson } from "../../../pipeline/analyze/write.ts";

const dataset = process.env.SANDMINE_DATASET;
if (!dataset) throw new Error("SANDMINE_DATASET is not set: build with npm run notebooks -- DATASET");
const more = (process.env.SANDMINE_REPORTS ?? "").split(":").filter((s) => s !== "");
process.stdout.write(toJson(await loadReportData(dataset, more)) + "\n");
