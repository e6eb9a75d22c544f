/** The profiles section: what each mined profile allows, against the runtime defaults, with provenance. */
import { esc } from "../escape.ts";
import { count } from "../format.ts";
import type { ProfileView, ReportData } from "../model.ts";
import { fig, figure, note, table, type Figures } from "../parts.ts";
import { plotId } from "../plots.ts";

function profile(p: ProfileView, i: number, figures: Figures): string {
  const r = p.report;
  const id = `profile.${i}`;
  const head = table(
    plotId("profile", String(i)),
    [
      "image",
      "arch",
      "arguments",
      "runs",
      "allowed",
      "conditional",
      "ENOSYS",
      "profile rules",
      "filter size (BPF)",
    ],
    [
      [
        r.image,
        r.arch,
        r.args,
        r.runs.length,
        fig(String(r.allowed), `${id}.allowed`, r.allowed),
        fig(String(r.conditional), `${id}.conditional`, r.conditional),
        r.enosys.length,
        fig(String(r.rules.profile_rules), `${id}.profile_rules`, r.rules.profile_rules),
        String(r.filter_size.libseccomp ?? `~${r.filter_size.estimate}`),
      ],
    ],
  );
  const defaults =
    r.defaults.length === 0
      ? note("No comparison with a runtime default profile in this report.")
      : figure(figures, plotId("profile-defaults", String(i))) +
        table(
          plotId("profile-defaults-table", String(i)),
          ["default profile", "it allows", "ours allows", "both", "only ours"],
          r.defaults.map((c) => [
            c.profile,
            c.allowed_default,
            c.allowed_ours,
            c.both,
            c.only_ours.join(", ") || "–",
          ]),
        );
  const syscalls = table(
    plotId("profile-syscalls", String(i)),
    ["syscall", "verdict", "calls", "runs", "phases", "processes", "conditions"],
    r.syscalls.map((s) => [
      s.name + (s.mapped_from ? ` (from ${s.mapped_from.join(", ")})` : ""),
      s.verdict,
      s.provenance ? count(s.provenance.calls) : "–",
      s.provenance ? String(s.provenance.runs.length) : "–",
      s.provenance ? s.provenance.phases.join(", ") : "–",
      s.provenance ? s.provenance.processes.join(", ") : "–",
      [...(s.conditions ?? []), ...(s.notes ?? [])].join("; ") || "–",
    ]),
  );
  const lints =
    r.lints.length === 0
      ? note("No lint findings.")
      : table(
          plotId("profile-lints", String(i)),
          ["severity", "code", "message"],
          r.lints.map((l) => [l.severity, l.code, l.message]),
        );
  return [
    `<article class="profile"><h3>${esc(p.file)}</h3>`,
    head,
    defaults,
    `<details><summary>Allowed syscalls and where they were seen (${r.syscalls.length})</summary>`,
    syscalls,
    `</details>`,
    lints,
    `</article>`,
  ].join("\n");
}

export function profilesSection(d: ReportData, figures: Figures): string {
  const body =
    d.profiles.length === 0
      ? note(
          "No profiles yet for this dataset: no NAME.report.json (written by sandmine synthesize beside each profile) was found in it.",
          "remark empty",
        )
      : [
          ...(d.profiles.length >= 2 ? [figure(figures, "profiles-matrix")] : []),
          ...d.profiles.map((p, i) => profile(p, i, figures)),
        ].join("\n");
  return `<section id="profiles"><h2>Profiles</h2>\n${body}\n</section>`;
}
