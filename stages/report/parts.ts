/**
 * Small HTML builders of the report: tables whose cells can carry a machine-readable figure
 * (`data-figure` names it, `data-value` holds the exact number), and figures around inlined SVG.
 */
import { esc } from "./escape.ts";

/** A table cell: plain text, or a number shown as `text` and kept exact in `data-value`. */
export type Cell = string | number | { text: string; figure?: string; value?: number; cls?: string };

function cell(c: Cell, tag: "td" | "th"): string {
  if (typeof c === "string") return `<${tag}>${esc(c)}</${tag}>`;
  if (typeof c === "number") return `<${tag} class="num">${esc(c)}</${tag}>`;
  const attrs = [
    c.figure === undefined ? "" : ` data-figure="${esc(c.figure)}"`,
    c.value === undefined ? "" : ` data-value="${esc(c.value)}"`,
    ` class="${esc(c.cls ?? (c.value === undefined ? "" : "num"))}"`,
  ].join("");
  return `<${tag}${attrs}>${esc(c.text)}</${tag}>`;
}

/** A table with a header row (scrolling sideways in a narrow window); `id` names it for tests and links. */
export function table(id: string, head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [
    `<div class="table-wrap"><table id="${esc(id)}">`,
    `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>`,
    ...rows.map((r) => `<tr>${r.map((c) => cell(c, "td")).join("")}</tr>`),
    `</tbody></table></div>`,
  ].join("\n");
}

/** A rendered plot: its markup (an <svg>, or a <figure> with legend and <svg>) and caption. */
export interface Rendered {
  markup: string;
  caption: string;
}

/** Rendered plots by id. */
export type Figures = ReadonlyMap<string, Rendered>;

/** A figure: the inlined plot markup (trusted: rendered by Plot) with its caption. */
export function figure(figures: Figures, id: string): string {
  const r = figures.get(id);
  if (r === undefined) throw new Error(`internal: plot ${id} was not rendered`);
  return `<figure class="plot" id="${esc(id)}">${r.markup}<figcaption>${esc(r.caption)}</figcaption></figure>`;
}

/** A figure's number as a cell. */
export const fig = (text: string, figure: string, value: number): Cell => ({ text, figure, value });

/** A remark (class "remark"; the Framework theme styles "note" as a callout) in place of data that does not exist (yet). */
export const note = (text: string, cls = "remark"): string => `<p class="${cls}">${esc(text)}</p>`;
