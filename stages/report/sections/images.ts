/** Per image: rule counts, the most called syscalls, calls by phase, and the syscall and argument tables. */
import { esc } from "../escape.ts";
import { count, share } from "../format.ts";
import type { ImageView, ReportData } from "../model.ts";
import { fig, figure, table, type Figures } from "../parts.ts";
import { plotId } from "../plots.ts";
import { reachSection } from "./reach.ts";

const TOP_VALUES = 5;

export function imageSection(im: ImageView, figures: Figures): string {
  const id = `image.${im.image}`;
  const rules = table(
    plotId("rules", im.image),
    ["runs", "events", "syscall types", "type rules", "type+argument rules"],
    [
      [
        fig(count(im.runs), `${id}.runs`, im.runs),
        fig(count(im.events), `${id}.events`, im.events),
        fig(String(im.rules.type_rules_all_phases), `${id}.syscall_types`, im.rules.type_rules_all_phases),
        fig(String(im.rules.type_rules), `${id}.type_rules`, im.rules.type_rules),
        fig(String(im.rules.type_arg_rules), `${id}.type_arg_rules`, im.rules.type_arg_rules),
      ],
    ],
  );
  const syscalls = table(
    plotId("syscalls", im.image),
    ["syscall", "calls", "share", "runs", "phases", "processes"],
    im.syscalls.map((s) => [
      s.syscall,
      fig(count(s.calls), `${id}.syscall.${s.syscall}.calls`, s.calls),
      share(s.share),
      `${s.runs}/${im.runs}`,
      s.phases,
      s.processes.replace(/^,/, "(none),").split(",").join(", "),
    ]),
  );
  const args = table(
    plotId("args", im.image),
    ["syscall", "argument", "model", "calls", "distinct values", `top ${TOP_VALUES} values (calls)`],
    im.args.map((a) => [
      a.syscall,
      a.name,
      a.model,
      count(a.calls),
      fig(String(a.distinct_values), `${id}.arg.${a.syscall}.${a.name}.distinct`, a.distinct_values),
      a.top_values
        .slice(0, TOP_VALUES)
        .map((v) => `${v.value} (${count(v.calls)})`)
        .join(", ") + (a.top_values.length > TOP_VALUES ? ", …" : ""),
    ]),
  );
  return [
    `<section class="image" id="${esc(plotId("image", im.image))}"><h2>Image ${esc(im.image)}</h2>`,
    `<p>Type rules count syscalls outside the runtime phase (the paper's definition); type+argument rules add one per distinct value of the modelled arguments.</p>`,
    rules,
    `<div class="grid">`,
    figure(figures, plotId("top", im.image)),
    figure(figures, plotId("phases", im.image)),
    `</div>`,
    `<details open><summary>Syscalls (${im.syscalls.length})</summary>`,
    syscalls,
    `</details>`,
    `<details><summary>Arguments (${im.args.length})</summary>`,
    args,
    `</details>`,
    reachSection(im),
    `</section>`,
  ].join("\n");
}

export function imagesSection(d: ReportData, figures: Figures): string {
  return d.images.map((im) => imageSection(im, figures)).join("\n");
}
