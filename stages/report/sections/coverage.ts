/**
 * The coverage section: estimates with intervals, P(new), the verdicts with what they cover, and
 * the discovery curves.
 */
import { COVERAGE_SCOPE } from "../../coverage/verdict.ts";
import { esc } from "../escape.ts";
import { oneDecimal, percent } from "../format.ts";
import type { ReportData } from "../model.ts";
import { fig, figure, note, table, type Cell, type Figures } from "../parts.ts";
import { levelName, plotId } from "../plots.ts";

/** The coverage section; without `plots` (the index of a fleet) the table only, the plots are per image. */
export function coverageSection(d: ReportData, figures: Figures, plots = true): string {
  const rows: Cell[][] = d.images.flatMap((im) =>
    (["type", "arg"] as const).map((level) => {
      const lv = im.coverage[level];
      const id = `coverage.${im.image}.${level}`;
      return [
        im.image,
        levelName(level),
        fig(String(lv.runs), `${id}.runs`, lv.runs),
        fig(String(lv.observed), `${id}.observed`, lv.observed),
        lv.q1,
        lv.q2,
        fig(oneDecimal(lv.chao2), `${id}.chao2`, lv.chao2),
        fig(oneDecimal(lv.chao2_lower), `${id}.chao2_lower`, lv.chao2_lower),
        fig(oneDecimal(lv.chao2_upper), `${id}.chao2_upper`, lv.chao2_upper),
        fig(percent(lv.p_new), `${id}.p_new`, lv.p_new),
        fig(lv.expected_new.toFixed(2), `${id}.expected_new`, lv.expected_new),
        fig(String(lv.runs_to_95), `${id}.runs_to_95`, lv.runs_to_95),
        { text: lv.verdict, figure: `${id}.verdict`, cls: lv.verdict === "saturated" ? "ok" : "warn" },
      ];
    }),
  );
  return [
    `<section id="coverage"><h2>Coverage</h2>`,
    `<p>Have the runs seen everything the workload does? Chao2 estimates the total number of units from those seen in exactly one (Q1) and two (Q2) runs; ` +
      `P(new), the chance that one more run reveals a unit never seen, is about Q1/runs (Good–Turing: Chao and Jost's sample coverage); ` +
      `saturated needs at least ${d.thresholds.minRuns} runs and P(new) below ${percent(d.thresholds.maxPNew)}.</p>`,
    `<p class="caveat"><strong>Scope:</strong> ${esc(COVERAGE_SCOPE).replace(/`([^`]+)`/g, "<code>$1</code>")}.</p>`,
    table(
      "coverage-table",
      [
        "image",
        "units",
        "runs",
        "observed",
        "Q1",
        "Q2",
        "Chao2",
        "95% lower",
        "95% upper",
        "P(new)",
        "E[new]",
        "+runs to 95%",
        "verdict",
      ],
      rows,
    ),
    ...(plots
      ? [
          figure(figures, "estimates-type"),
          figure(figures, "estimates-arg"),
          figure(figures, "p-new"),
          `<h3>Discovery curves</h3>`,
          `<div class="grid">`,
          ...d.images.flatMap((im) =>
            (["type", "arg"] as const).map((l) => figure(figures, plotId("discovery", im.image, l))),
          ),
          `</div>`,
        ]
      : [note("The estimates, P(new) and discovery curves are plotted on each image's page.")]),
    `</section>`,
  ].join("\n");
}
