/**
 * The report's plots as Observable Plot options (marks with a `title` per datum, so each mark
 * carries its number in the SVG). Rendering needs a DOM and happens in pipeline/report/svg.ts.
 */
import * as Plot from "@observablehq/plot";
import { oneDecimal, percent, count } from "./format.ts";
import type { ImageView, LevelView, ReportData } from "./model.ts";

/**
 * Every plot is drawn this wide and scaled by the page to its full width (CSS), with labels set
 * large enough to stay legible when a narrow window scales it down (800 px: about 10 px).
 */
export const PLOT_WIDTH = 1000;
export const PLOT_FONT = "14px";

/** A spec drawn at the page's width: PLOT_WIDTH wide, PLOT_FONT labels, left margins grown to match. */
export function wide(s: PlotSpec): PlotSpec {
  const o = s.options;
  return {
    ...s,
    options: {
      ...o,
      width: PLOT_WIDTH,
      style: { fontSize: PLOT_FONT, overflow: "visible" },
      // labels of 14 px need more room than Plot's defaults (40 px beside a y axis)
      marginLeft: o.marginLeft !== undefined ? Math.round(o.marginLeft * 1.25) : 60,
      marginRight: o.marginRight ?? 30,
    },
  };
}

/** One plot: its id (the anchor in the page), a caption and the Plot options without document. */
export interface PlotSpec {
  id: string;
  caption: string;
  options: Plot.PlotOptions;
}

const LEVEL_NAMES = { type: "syscall types", arg: "argument rules" } as const;
export type LevelName = keyof typeof LEVEL_NAMES;
export const levelName = (l: LevelName): string => LEVEL_NAMES[l];

/** Plot ids are used as HTML ids: image names may hold any partition-safe character. */
export const plotId = (...parts: string[]): string =>
  parts.map((p) => p.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)).join("-");

function eventsPerRun(d: ReportData): PlotSpec {
  return {
    id: "events-per-run",
    caption: "Events per run",
    options: {
      marginLeft: 130,
      height: 40 + 18 * d.runs.length,
      x: { label: "events", grid: true },
      y: { label: null },
      marks: [
        Plot.barX(d.runs, {
          y: (r) => `${r.image} ${r.run}`,
          x: "events",
          fill: "image",
          title: (r) => `${r.image} ${r.run}: ${count(r.events)} events`,
          sort: { y: null },
        }),
        Plot.ruleX([0]),
      ],
      color: { legend: true },
    },
  };
}

function integrity(d: ReportData): PlotSpec {
  // what did not become an event, by kind: the lines are a sliver of each run, so counts, not shares
  const rows = d.runs.flatMap((r) => {
    const run = `${r.image} ${r.run}`;
    const parts: [string, number][] = [
      ["rejected", r.rejected],
      ...Object.entries(r.skipped_by_kind).map(([k, v]): [string, number] => [`skipped: ${k}`, v]),
      ["unfinished, never resumed", r.unfinished_never_resumed],
    ];
    return parts.filter(([, n]) => n > 0).map(([kind, lines]) => ({ run, kind, lines, read: r.lines_read }));
  });
  return {
    id: "capture-integrity",
    caption:
      "Capture integrity: lines that did not become events per run, by kind (rejected lines are parse failures)",
    options: {
      marginLeft: 130,
      height: 60 + 18 * d.runs.length,
      x: { label: "lines", grid: true },
      y: { label: null, domain: d.runs.map((r) => `${r.image} ${r.run}`) },
      color: { legend: true },
      marks: [
        Plot.barX(rows, {
          y: "run",
          x: "lines",
          fill: "kind",
          title: (r) => `${r.run}: ${count(r.lines)} ${r.kind} of ${count(r.read)} lines read`,
        }),
        Plot.ruleX([0]),
      ],
    },
  };
}

/**
 * Discovery curve of one image and level: mean over run orders, min–max band, ±sd, exact
 * expectation; on a y-axis from 0, with the Chao2 estimate of the total (dashed) and its 95%
 * interval (band) drawn, so the distance to the estimated total shows.
 */
export function discovery(im: ImageView, level: LevelName): PlotSpec {
  const lv: LevelView = im.coverage[level];
  const last = lv.curve.length ? lv.curve[lv.curve.length - 1]!.runs : lv.runs;
  const first = lv.curve.length ? lv.curve[0]!.runs : 1;
  const finite = [lv.chao2, lv.chao2_lower, lv.chao2_upper].every(Number.isFinite);
  const seen = Math.max(...lv.curve.map((p) => p.max), 1);
  // from 0 to a little above the estimate; an upper bound far beyond it is cut, and says so
  const top = Math.max(seen, finite ? lv.chao2 : 0) * 1.3;
  const cut = finite && lv.chao2_upper > top;
  const estimate = `Chao2 ${oneDecimal(lv.chao2)} [${oneDecimal(lv.chao2_lower)}, ${oneDecimal(lv.chao2_upper)}]`;
  return {
    id: plotId("discovery", im.image, level),
    caption:
      `${im.image}: distinct ${levelName(level)} against runs (mean, ±sd and min–max over run orders; ` +
      `dashed: the Chao2 estimate of the total, band: its 95% interval; y from 0)`,
    options: {
      height: 300,
      marginRight: 20,
      x: { label: "runs", ticks: lv.curve.length, tickFormat: "d" },
      y: { label: `distinct ${levelName(level)}`, grid: true, domain: [0, top] },
      marks: [
        ...(finite
          ? [
              Plot.rectY([lv], {
                x1: first,
                x2: last,
                y1: (l: LevelView) => l.chao2_lower,
                y2: (l: LevelView) => Math.min(l.chao2_upper, top),
                fill: "crimson",
                fillOpacity: 0.08,
                title: () =>
                  `95% interval of the total: [${oneDecimal(lv.chao2_lower)}, ${oneDecimal(lv.chao2_upper)}]`,
              }),
              Plot.ruleY([lv.chao2], {
                stroke: "crimson",
                strokeDasharray: "6 4",
                title: () => estimate,
              }),
              Plot.text([lv], {
                x: first,
                y: (l: LevelView) => l.chao2,
                text: () => estimate,
                textAnchor: "start",
                dx: 4,
                dy: -9,
                fill: "crimson",
              }),
              ...(cut
                ? [
                    Plot.text([lv], {
                      x: last,
                      y: top,
                      text: () => `↑ interval goes on to ${oneDecimal(lv.chao2_upper)}`,
                      textAnchor: "end",
                      dy: 10,
                      fill: "crimson",
                    }),
                  ]
                : []),
            ]
          : []),
        Plot.areaY(lv.curve, { x: "runs", y1: "min", y2: "max", fill: "steelblue", fillOpacity: 0.12 }),
        Plot.areaY(lv.curve, {
          x: "runs",
          // ±sd, kept inside the observed range (the spread is not symmetric near the full set)
          y1: (p) => Math.max(p.min, p.mean - p.sd),
          y2: (p) => Math.min(p.max, p.mean + p.sd),
          fill: "steelblue",
          fillOpacity: 0.2,
        }),
        Plot.line(lv.curve, { x: "runs", y: "expected", stroke: "gray", strokeDasharray: "4 3" }),
        Plot.line(lv.curve, { x: "runs", y: "mean", stroke: "steelblue" }),
        Plot.dot(lv.curve, {
          x: "runs",
          y: "mean",
          fill: "steelblue",
          title: (p) =>
            `${p.runs} runs: mean ${p.mean.toFixed(2)} (sd ${p.sd.toFixed(2)}, ${p.min}–${p.max}), expected ${p.expected.toFixed(2)}`,
        }),
        Plot.ruleY([0]),
      ],
    },
  };
}

interface EstimateRow {
  image: string;
  level: LevelName;
  lv: LevelView;
}

function estimateRows(d: ReportData): EstimateRow[] {
  return d.images.flatMap((im) =>
    (["type", "arg"] as const).map((level) => ({ image: im.image, level, lv: im.coverage[level] })),
  );
}

/** Observed units, the Chao2 estimate and its 95% interval, one row per image, one panel per level. */
function estimates(d: ReportData, level: LevelName): PlotSpec {
  const rows = estimateRows(d).filter((r) => r.level === level);
  return {
    id: plotId("estimates", level),
    caption: `${levelName(level)}: observed (tick), Chao2 estimate (dot) and its 95% interval (line)`,
    options: {
      marginLeft: 100,
      height: 40 + 30 * rows.length,
      x: { type: "log", label: levelName(level), grid: true },
      y: { label: null },
      marks: [
        Plot.ruleY(rows, {
          y: "image",
          x1: (r) => r.lv.chao2_lower,
          x2: (r) => r.lv.chao2_upper,
          stroke: "gray",
        }),
        Plot.tickX(rows, {
          y: "image",
          x: (r) => r.lv.observed,
          stroke: "black",
          title: (r) => `${r.image}: ${r.lv.observed} observed`,
        }),
        Plot.dot(rows, {
          y: "image",
          x: (r) => r.lv.chao2,
          fill: "crimson",
          r: 4,
          title: (r) =>
            `${r.image}: Chao2 ${oneDecimal(r.lv.chao2)} [${oneDecimal(r.lv.chao2_lower)}, ${oneDecimal(r.lv.chao2_upper)}]`,
        }),
      ],
    },
  };
}

/** P(next run reveals a new unit) per image and level, against the verdict threshold. */
function pNew(d: ReportData): PlotSpec {
  const rows = estimateRows(d).map((r) => ({ ...r, label: `${r.image} ${r.level}` }));
  return {
    id: "p-new",
    caption: `P(the next run reveals a new unit); saturated needs less than ${percent(d.thresholds.maxPNew)} (red rule)`,
    options: {
      marginLeft: 120,
      height: 40 + 22 * rows.length,
      x: { label: "P(new)", percent: true, domain: [0, 100], grid: true },
      y: { label: null },
      color: { legend: true, domain: ["saturated", "not saturated"], range: ["seagreen", "darkorange"] },
      marks: [
        Plot.barX(rows, {
          y: "label",
          x: (r) => r.lv.p_new,
          fill: (r) => r.lv.verdict,
          title: (r) => `${r.label}: P(new) ${percent(r.lv.p_new)}, ${r.lv.verdict}`,
          sort: { y: null },
        }),
        Plot.ruleX([d.thresholds.maxPNew], { stroke: "red" }),
      ],
    },
  };
}

/** The most called syscalls of an image, with their share. */
export function topSyscalls(im: ImageView, n = 20): PlotSpec {
  const top = im.syscalls.slice(0, n);
  return {
    id: plotId("top", im.image),
    caption: `${im.image}: the ${top.length} most called syscalls (share of all calls)`,
    options: {
      marginLeft: 110,
      height: 40 + 16 * top.length,
      x: { label: "share of calls", percent: true, grid: true },
      y: { label: null },
      marks: [
        Plot.barX(top, {
          y: "syscall",
          x: "share",
          fill: "steelblue",
          title: (s) => `${s.syscall}: ${count(s.calls)} calls (${percent(s.share)})`,
          sort: { y: null },
        }),
        Plot.ruleX([0]),
      ],
    },
  };
}

const PHASE_ORDER = ["runtime", "init", "workload", "unknown"];

/** Calls per syscall and phase, as a heat map (colour by powers of ten). */
export function phaseHeat(im: ImageView): PlotSpec {
  const phases = [...new Set(im.phases.map((p) => p.phase))].sort(
    (a, b) => (PHASE_ORDER.indexOf(a) + 1 || 99) - (PHASE_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  const syscalls = im.syscalls.map((s) => s.syscall);
  return {
    id: plotId("phases", im.image),
    caption: `${im.image}: calls per syscall and phase (runtime: the container runtime before the filter)`,
    options: {
      marginLeft: 120,
      height: 40 + 12 * syscalls.length,
      x: { label: null, domain: phases, axis: "top" },
      y: { label: null, domain: syscalls, tickSize: 0 },
      // thresholds, not a continuous ramp: a ramp legend needs a canvas, which the report has not
      color: {
        type: "threshold",
        domain: [10, 100, 1000, 10000, 100000],
        scheme: "blues",
        legend: true,
        label: "calls",
      },
      marks: [
        Plot.cell(im.phases, {
          x: "phase",
          y: "syscall",
          fill: "calls",
          inset: 0.5,
          title: (c) => `${c.syscall} in ${c.phase}: ${count(c.calls)} calls`,
        }),
      ],
    },
  };
}

/** Every plot of the report, in page order, at the page's width. */
export function reportPlots(d: ReportData): PlotSpec[] {
  return [
    eventsPerRun(d),
    integrity(d),
    estimates(d, "type"),
    estimates(d, "arg"),
    pNew(d),
    ...d.images.flatMap((im) => [
      discovery(im, "type"),
      discovery(im, "arg"),
      topSyscalls(im),
      phaseHeat(im),
    ]),
  ].map(wide);
}
