/** The validation section: tests under each profile, denials in complain mode, attack probes, overhead. */
import { esc } from "../escape.ts";
import type { ReportData, ValidationView } from "../model.ts";
import { fig, figure, note, table, type Cell, type Figures } from "../parts.ts";
import { plotId } from "../plots.ts";

function validation(v: ValidationView, i: number, figures: Figures): string {
  const r = v.report;
  const id = `validation.${i}`;
  const profiles = table(
    plotId("validation-profiles", String(i)),
    [
      "profile",
      "allowed",
      "started",
      "tests passed",
      "regressions",
      "denials",
      "probes blocked",
      "held-out runs failing",
    ],
    r.profiles.map((p): Cell[] => {
      const rows = p.enforce?.rows ?? [];
      const passed = rows.filter((x) => x.enforced.passed).length;
      const probes = p.probes ?? [];
      return [
        p.label,
        p.syscallsAllowed,
        p.enforce ? (p.enforce.started ? "yes" : `no: ${p.enforce.startError ?? ""}`) : "–",
        p.enforce ? fig(`${passed}/${rows.length}`, `${id}.${p.label}.passed`, passed) : "–",
        p.enforce
          ? fig(String(p.enforce.regressions), `${id}.${p.label}.regressions`, p.enforce.regressions)
          : "–",
        p.complain
          ? fig(
              `${p.complain.denials.length}${p.complain.complete ? "" : " (log incomplete)"}`,
              `${id}.${p.label}.denials`,
              p.complain.denials.length,
            )
          : "–",
        p.probes ? `${probes.filter((x) => x.blocked).length}/${probes.length}` : "–",
        p.heldOut ? `${p.heldOut.filter((h) => h.failed.length > 0).length}/${p.heldOut.length}` : "–",
      ];
    }),
  );
  const denials = r.profiles.flatMap((p) =>
    (p.complain?.summary ?? []).map((s) => [p.label, s.syscall, s.count, s.attributedTo.join(", ")]),
  );
  const probes = r.profiles.flatMap((p) =>
    (p.probes ?? []).map((x) => [
      p.label,
      x.what,
      x.expected.errnoName ?? x.expected.action,
      x.mined.errnoName ?? (x.mined.errno === 0 ? "succeeded" : "no answer"),
      x.runtimeDefault.errnoName ?? (x.runtimeDefault.errno === 0 ? "succeeded" : "no answer"),
      x.unconfined.errnoName ?? (x.unconfined.errno === 0 ? "succeeded" : "no answer"),
      { text: x.blocked ? "blocked" : "not blocked", cls: x.blocked ? "ok" : "warn" },
    ]),
  );
  const overhead = r.overhead
    ? figure(figures, plotId("overhead", String(i))) +
      table(
        plotId("overhead-table", String(i)),
        ["configuration", `median (${r.overhead.unit})`, "min", "max", "ratio", "ratio range"],
        r.overhead.rows.map((o) => [
          o.config,
          o.median.toFixed(1),
          o.min.toFixed(1),
          o.max.toFixed(1),
          fig(o.ratio.toFixed(3), `${id}.overhead.${o.config}.ratio`, o.ratio),
          `${o.ratioMin.toFixed(3)}–${o.ratioMax.toFixed(3)}`,
        ]),
      )
    : note("No overhead benchmark in this report.");
  return [
    `<article class="validation"><h3>${esc(r.experiment)} (${esc(r.image)}, ${esc(r.backend)})</h3>`,
    `<p>${esc(v.file)}: ${esc(r.started)} to ${esc(r.finished)} on ${esc(r.host.kernel)}; ` +
      `${r.failed ? "<strong>a test passing unconfined failed under a profile</strong>" : "no regression"}.</p>`,
    profiles,
    `<h4>Denials in complain mode</h4>`,
    denials.length
      ? table(plotId("denials", String(i)), ["profile", "syscall", "records", "during"], denials)
      : note("No denials logged."),
    `<h4>Attack probes</h4>`,
    probes.length
      ? table(
          plotId("probes", String(i)),
          ["profile", "call", "expected", "mined", "runtime default", "unconfined", ""],
          probes,
        )
      : note("No probes in this report."),
    `<h4>Overhead</h4>`,
    overhead,
    ...r.notes.map((n) => note(n)),
    `</article>`,
  ].join("\n");
}

export function validationSection(d: ReportData, figures: Figures): string {
  const body =
    d.validations.length === 0
      ? note(
          "No validation yet for this dataset: no report of sandmine validate was found in the dataset folder.",
          "remark empty",
        )
      : d.validations.map((v, i) => validation(v, i, figures)).join("\n");
  return `<section id="validation"><h2>Validation</h2>\n${body}\n</section>`;
}
