// Renders a report section (stages/report/sections/*, bundled into ./report.js) in the browser:
// the same HTML builders and Plot specs as `sandmine report`, with each plot drawn by Observable
// Plot when the section asks for it, so a notebook page shows the report's own figures.
import * as Plot from "@observablehq/plot";
import { allPlots } from "./report.js";

/** Lazily rendered plots by id, in the shape the section builders read (`get(id)`). */
export function figures(data) {
  const specs = new Map(allPlots(data).map((s) => [s.id, s]));
  const done = new Map();
  return {
    get(id) {
      if (!done.has(id) && specs.has(id)) {
        const s = specs.get(id);
        done.set(id, { markup: Plot.plot({ width: 720, ...s.options }).outerHTML, caption: s.caption });
      }
      return done.get(id);
    },
  };
}

/** A <div> holding `html`. */
export function block(html) {
  const div = document.createElement("div");
  div.className = "sandmine";
  div.innerHTML = html;
  return div;
}
