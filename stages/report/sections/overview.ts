/** The overview section: what the dataset holds and how completely its captures were read. */
import { esc } from "../escape.ts";
import { bytes, count, percent } from "../format.ts";
import { totals, type ReportData } from "../model.ts";
import { fig, figure, note, table, type Figures } from "../parts.ts";

/** The overview; without `plots` (the index of a fleet) no per-run plots, which grow with the runs. */
export function overviewSection(d: ReportData, figures: Figures, plots = true): string {
  const t = totals(d);
  const key = table(
    "key-figures",
    [
      "captures",
      "images",
      "runs",
      "events",
      "lines read",
      "parsed",
      "rejected",
      "skipped",
      "unfinished calls",
    ],
    [
      [
        fig(count(t.captures), "dataset.captures", t.captures),
        fig(count(t.images), "dataset.images", t.images),
        fig(count(t.runs), "dataset.runs", t.runs),
        fig(count(t.events), "dataset.events", t.events),
        fig(count(t.lines_read), "dataset.lines_read", t.lines_read),
        fig(percent(t.parsed_share), "dataset.parsed_share", t.parsed_share),
        fig(count(t.rejected), "dataset.rejected", t.rejected),
        fig(count(t.skipped), "dataset.skipped", t.skipped),
        fig(count(t.unfinished), "dataset.unfinished", t.unfinished),
      ],
    ],
  );
  const runs = table(
    "runs",
    [
      "image",
      "run",
      "format",
      "files",
      "bytes",
      "lines",
      "events",
      "rejected",
      "skipped",
      "unfinished",
      "tasks",
      "syscalls",
      "seconds",
    ],
    d.runs.map((r) => {
      const id = `runs.${r.image}.${r.run}`;
      return [
        r.image,
        r.run,
        r.format,
        r.files,
        bytes(r.bytes),
        fig(count(r.lines_read), `${id}.lines_read`, r.lines_read),
        fig(count(r.events), `${id}.events`, r.events),
        fig(count(r.rejected), `${id}.rejected`, r.rejected),
        {
          text: `${count(r.skipped)}${
            r.skipped
              ? ` (${Object.entries(r.skipped_by_kind)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(", ")})`
              : ""
          }`,
          figure: `${id}.skipped`,
          value: r.skipped,
        },
        r.unfinished_never_resumed,
        r.tasks,
        r.syscalls,
        r.seconds === null ? "–" : r.seconds.toFixed(2),
      ];
    }),
  );
  const rejects =
    d.rejects.length === 0
      ? note("No rejected lines: every line read became an event or was skipped by kind (exit, signal …).")
      : table(
          "rejects",
          ["image", "reason", "lines", "first at"],
          d.rejects.map((r) => [
            r.image,
            r.reason,
            r.count,
            `${r.file}${r.line === null ? "" : `:${r.line}`}`,
          ]),
        );
  return [
    `<section id="overview"><h2>Dataset overview</h2>`,
    `<p>Dataset <code>${esc(d.dataset)}</code>, written by ${esc(d.tool.name)} ${esc(d.tool.version)} (schema ${esc(d.schema_version)}).</p>`,
    key,
    ...(plots
      ? [figure(figures, "events-per-run"), figure(figures, "capture-integrity")]
      : [note("Events per run and capture integrity are plotted on each image's page.")]),
    `<h3>Runs</h3>`,
    runs,
    `<h3>Rejected lines</h3>`,
    rejects,
    `</section>`,
  ].join("\n");
}
