/** Plots of profile and validation reports: allowed syscalls against the runtime defaults, overhead. */
import * as Plot from "@observablehq/plot";
import type { ProfileView, ValidationView } from "./model.ts";
import { plotId, wide, type PlotSpec } from "./plots.ts";

/** Per runtime default profile: syscalls both allow, only ours allows, only the default allows. */
export function defaultsPlot(p: ProfileView, i: number): PlotSpec {
  const rows = p.report.defaults.flatMap((c) => [
    { profile: c.profile, part: "both", n: c.both },
    { profile: c.profile, part: "only ours", n: c.only_ours.length },
    { profile: c.profile, part: "only the default", n: c.only_default.length },
  ]);
  return {
    id: plotId("profile-defaults", String(i)),
    caption: `${p.file}: allowed syscalls against each runtime's default profile`,
    options: {
      marginLeft: 240,
      height: 40 + 30 * p.report.defaults.length,
      x: { label: "syscalls", grid: true },
      y: { label: null },
      color: {
        legend: true,
        domain: ["both", "only ours", "only the default"],
        range: ["steelblue", "darkorange", "lightgray"],
      },
      marks: [
        Plot.barX(rows, {
          y: "profile",
          x: "n",
          fill: "part",
          title: (r) => `${r.profile}: ${r.n} ${r.part}`,
        }),
        Plot.ruleX([0]),
      ],
    },
  };
}

/** A profile's short name: its report file without folders and `.report.json`. */
export const profileName = (p: ProfileView): string =>
  p.file.replace(/^.*\//, "").replace(/\.report\.json$/, "");

/** Which profile allows which syscall, and how (one column per profile report). */
export function profileMatrix(profiles: readonly ProfileView[]): PlotSpec {
  const rows = profiles.flatMap((p) =>
    p.report.syscalls.map((s) => ({ profile: profileName(p), syscall: s.name, verdict: s.verdict })),
  );
  const syscalls = [...new Set(rows.map((r) => r.syscall))].sort();
  return {
    id: "profiles-matrix",
    caption:
      "Syscalls per profile: allowed, allowed with argument rules, or answered with ENOSYS (blank: denied)",
    options: {
      marginLeft: 130,
      marginTop: 90,
      height: 120 + 12 * syscalls.length,
      x: { label: null, axis: "top", tickRotate: -35, domain: profiles.map(profileName) },
      y: { label: null, domain: syscalls, tickSize: 0 },
      color: {
        legend: true,
        domain: ["allow", "allow-conditional", "enosys"],
        range: ["steelblue", "darkorange", "lightgray"],
      },
      marks: [
        Plot.cell(rows, {
          x: "profile",
          y: "syscall",
          fill: "verdict",
          inset: 0.5,
          title: (r) => `${r.profile}: ${r.syscall} ${r.verdict}`,
        }),
      ],
    },
  };
}

/** Throughput relative to unconfined per configuration: median ratio, and the range over rounds. */
export function overheadPlot(v: ValidationView, i: number): PlotSpec | null {
  const o = v.report.overhead;
  if (!o || o.rows.length === 0) return null;
  // round i against unconfined round i, the pairing the report's ratio range uses
  const base = o.rows.find((r) => r.config === "unconfined")?.rounds;
  const perRound = base
    ? o.rows.flatMap((r) =>
        r.rounds.flatMap((x, i) =>
          base[i] ? [{ config: r.config, round: i + 1, ratio: x / base[i]! }] : [],
        ),
      )
    : [];
  return {
    id: plotId("overhead", String(i)),
    caption: `${v.report.experiment}: throughput relative to unconfined (${o.unit}; bar: median of ${o.rounds} rounds, dots: each round, line: their range)`,
    options: {
      marginLeft: 140,
      height: 40 + 30 * o.rows.length,
      x: { label: "throughput / unconfined", grid: true },
      y: { label: null },
      marks: [
        Plot.barX(o.rows, {
          y: "config",
          x: "ratio",
          fill: "steelblue",
          fillOpacity: 0.6,
          title: (r) =>
            `${r.config}: ${r.ratio.toFixed(3)} (rounds ${r.ratioMin.toFixed(3)}–${r.ratioMax.toFixed(3)}); median ${r.median} ${o.unit}`,
          sort: { y: null },
        }),
        Plot.ruleY(o.rows, { y: "config", x1: "ratioMin", x2: "ratioMax", stroke: "black" }),
        Plot.dot(perRound, {
          y: "config",
          x: "ratio",
          stroke: "black",
          r: 2.5,
          title: (d) => `${d.config}, round ${d.round}: ${d.ratio.toFixed(3)}`,
        }),
        Plot.ruleX([1], { stroke: "red" }),
      ],
    },
  };
}

/** The plots of every profile and validation report, in page order. */
export function resultPlots(
  profiles: readonly ProfileView[],
  validations: readonly ValidationView[],
): PlotSpec[] {
  return [
    ...(profiles.length >= 2 ? [profileMatrix(profiles)] : []),
    ...profiles.flatMap((p, i) => (p.report.defaults.length > 0 ? [defaultsPlot(p, i)] : [])),
    ...validations.flatMap((v, i) => overheadPlot(v, i) ?? []),
  ].map(wide);
}
