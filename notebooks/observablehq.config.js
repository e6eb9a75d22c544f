// Observable Framework configuration of the sandmine notebooks. Built offline: every import in
// the pages is a bare specifier resolved from node_modules (never `npm:`, which fetches from a
// CDN), the default theme's web font stylesheet is dropped, and the footer carries no date or
// link, so a build depends on the dataset alone. Build with `npm run notebooks -- DATASET`.
export default {
  title: "sandmine",
  root: "src",
  output: process.env.SANDMINE_NOTEBOOKS_OUT || "dist",
  pages: [
    { name: "Dataset overview", path: "/" },
    { name: "Coverage", path: "/coverage" },
    { name: "Images", path: "/images" },
    { name: "Static reach", path: "/reach" },
    { name: "Profiles", path: "/profiles" },
    { name: "Validation", path: "/validation" },
  ],
  // the default is a Google Fonts stylesheet: no network here, the system font serves
  globalStylesheets: [],
  theme: ["air", "near-midnight"],
  footer: "sandmine notebooks (Observable Framework)",
  // the report's table classes (stages/report/parts.ts), within the notebook theme
  // an empty icon: the browser would ask the server for /favicon.ico and log the 404 as an error
  head: `<link rel="icon" href="data:,">
<style>
.sandmine table { font-size: 12.5px; max-width: none; }
.sandmine td.num { text-align: right; font-variant-numeric: tabular-nums; }
.sandmine td.ok { color: #17692f; } .sandmine td.warn { color: #a35200; font-weight: 600; }
.sandmine figure.plot { margin: 12px 0 20px; max-width: none; } .sandmine figure.plot figure { margin: 0; }
.sandmine figure.plot > figcaption { font-size: 12px; color: var(--theme-foreground-muted); }
.sandmine .grid { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }
.sandmine .remark { font-style: italic; color: var(--theme-foreground-muted); }
</style>`,
  search: false,
  pager: true,
  // links end in .html, so any static server (and the tests' one) serves the build
  preserveExtension: true,
  preserveIndex: true,
};
