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
  const reachable = reachableNote(r as ReachableNoted, i);
  return [
    `<article class="profile"><h3>${esc(p.file)}</h3>`,
    head,
    defaults,
    reachable,
    `<details><summary>Allowed syscalls and where they were seen (${r.syscalls.length})</summary>`,
    syscalls,
    `</details>`,
    lints,
    `</article>`,
  ].join("\n");
}

/** What `synthesize --reachable` (or `reach --widen`) added to the mined profile, when it did. */
interface ReachableNoted {
  reachable?: {
    mode: string;
    added: { syscall: string; origin: string; likelihood: string }[];
    withheld: { syscall: string; cves: string[] }[];
    docker_default: {
      allowed_default: number;
      allowed_ours: number;
      removed: number;
      dangerous_removed: string[];
    };
  };
}

function reachableNote(r: ReachableNoted, i: number): string {
  const x = r.reachable;
  if (!x) return "";
  const d = x.docker_default;
  return [
    `<p>Widened by static reach (--reachable ${esc(x.mode)}): ${x.added.length} call(s) the runs never made, ${x.withheld.length} dangerous one(s) withheld (${esc(
      x.withheld.map((w) => w.syscall).join(", ") || "none",
    )}); the widened profile allows ${d.allowed_ours} of Docker's ${d.allowed_default} (removes ${d.removed}; dangerous removed: ${esc(
      d.dangerous_removed.join(", ") || "none",
    )}). The counts above are the widened profile's (the mined profile's: the report's reachable.mined).</p>`,
    `<details><summary>Rules added from static reach (${x.added.length})</summary>`,
    table(
      plotId("profile-reachable", String(i)),
      ["syscall", "origin (static)", "likelihood"],
      x.added.map((a) => [a.syscall, a.origin, a.likelihood]),
    ),
    `</details>`,
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
