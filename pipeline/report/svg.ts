/**
 * Renders Plot options to SVG text with a jsdom document (Plot needs a DOM; Node has none). One
 * document serves every plot of a report; figures with a legend come back as HTML (a <figure>).
 */
import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
import type { Rendered } from "../../stages/report/parts.ts";
import type { PlotSpec } from "../../stages/report/plots.ts";

/** Each plot's markup by id: an <svg>, or a <figure> holding the legend and the <svg>. */
export function renderPlots(specs: readonly PlotSpec[]): Map<string, Rendered> {
  const dom = new JSDOM("<!DOCTYPE html><body></body>");
  try {
    const out = new Map<string, Rendered>();
    for (const s of specs) {
      const el = Plot.plot({ width: 720, ...s.options, document: dom.window.document }) as unknown as {
        outerHTML: string;
      };
      out.set(s.id, { markup: el.outerHTML, caption: s.caption });
    }
    return out;
  } finally {
    dom.window.close();
  }
}
