/**
 * The report's pure parts as one module: the data model, formats, plot specs and HTML sections.
 * The notebooks import it as a bundle (pipeline/notebooks.ts builds notebooks/src/components/report.js
 * from it), so the notebook pages and `sandmine report` show the same figures.
 */
export { REPORT_DATA_VERSION, totals, type ReportData, type Totals } from "./model.ts";
export { bytes, count, oneDecimal, percent } from "./format.ts";
export {
  levelName,
  plotId,
  reportPlots,
  discovery,
  phaseHeat,
  topSyscalls,
  wide,
  type PlotSpec,
} from "./plots.ts";
export { resultPlots } from "./plots-results.ts";
export { allPlots, reportHtml } from "./html.ts";
export { overviewSection } from "./sections/overview.ts";
export { coverageSection } from "./sections/coverage.ts";
export { imageSection, imagesSection } from "./sections/images.ts";
export { reachSection } from "./sections/reach.ts";
export { profilesSection } from "./sections/profiles.ts";
export { validationSection } from "./sections/validation.ts";
export { summarySection } from "./sections/summary.ts";
export { riskSummary, type ImageRisk } from "./risk.ts";
