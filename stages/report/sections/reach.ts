/**
 * Per image, when `characterize --rootfs` left one: the mined set M beside what the image's code
 * can reach (S), M \ S with each member's explanation, S \ M ranked by risk and by likelihood,
 * and the analysis's known limits.
 */
import { esc } from "../escape.ts";
import type { ImageView } from "../model.ts";
import { fig, table } from "../parts.ts";
import { plotId } from "../plots.ts";

const SHOWN = 25;

const LIKELIHOOD_TEXT: Record<string, string> = {
  program: "the program's own code",
  "program-libc": "a libc function the program calls",
  library: "only a library's code",
  startup: "only start-up code (loader, libc init)",
};

export function reachSection(im: ImageView): string {
  const s = im.reach;
  if (!s) return "";
  if (s.stale !== undefined) {
    // an old result is not shown as if it described these runs: only why, and how to recompute it
    return `<section class="reach" id="${esc(plotId("reach-section", im.image))}"><h3>Static reach: what the runs never showed</h3><p class="stale">Not shown: ${esc(s.stale)}.</p></section>`;
  }
  const id = `image.${im.image}.reach`;
  const key = table(
    plotId("reach", im.image),
    [
      "|M| mined",
      "|S| reachable",
      "in both",
      "|M \\ S|",
      "|S \\ M|",
      "files analysed",
      "sites of unknown number",
    ],
    [
      [
        fig(String(s.mined.length), `${id}.mined`, s.mined.length),
        fig(String(s.reachable.length), `${id}.reachable`, s.reachable.length),
        fig(String(s.both), `${id}.both`, s.both),
        fig(String(s.gaps.length), `${id}.gaps`, s.gaps.length),
        fig(String(s.byRisk.length), `${id}.unseen`, s.byRisk.length),
        String(s.files),
        String(s.unknownSites),
      ],
    ],
  );
  const gaps = s.gaps.length
    ? table(
        plotId("reach-gaps", im.image),
        ["syscall", "reason", "explanation", "made by"],
        s.gaps.map((g) => [g.syscall, g.reason, g.detail, g.comms.join(", ")]),
      )
    : `<p>Every mined call is reachable.</p>`;
  const risky = s.byRisk.filter((u) => u.risk !== "none");
  const byRisk = table(
    plotId("reach-risk", im.image),
    ["syscall", "risk", "CVEs", "likelihood", "origin"],
    risky.map((u) => [u.syscall, u.risk, u.cves.join(" "), u.likelihood, u.origins[0] ?? ""]),
  );
  const unseen = new Map(s.byRisk.map((u) => [u.syscall, u]));
  const likely = s.byLikelihood.slice(0, SHOWN).map((n) => unseen.get(n)!);
  const byLikelihood = table(
    plotId("reach-likely", im.image),
    ["syscall", "likelihood", "risk", "origin"],
    likely.map((u) => [u.syscall, u.likelihood, u.risk === "none" ? "-" : u.risk, u.origins[0] ?? ""]),
  );
  const lc = s.likelihoodCounts;
  const rc = s.riskCounts;
  return [
    `<section class="reach" id="${esc(plotId("reach-section", im.image))}"><h3>Static reach: what the runs never showed</h3>`,
    `<p>From <code>${esc(s.rootfs)}</code> (${esc(s.arch)}; ${s.programs.length} program(s): ${esc(
      s.programs.map((p) => p.path).join(", ") || "none",
    )}${s.excludedRuns.length ? `; runs held out of M: ${esc(s.excludedRuns.join(", "))}` : ""}).</p>`,
    key,
    `<h4>M \\ S: mined but not reachable (${s.gaps.length})</h4>`,
    gaps,
    `<h4>S \\ M by risk: ${rc.warning} warning, ${rc.info} info, ${rc["outside-default"]} outside the runtime default, ${rc.none} none</h4>`,
    risky.length ? byRisk : `<p>None of the reachable-but-unseen calls is on the dangerous list.</p>`,
    `<h4>S \\ M by likelihood: ${lc.program} from ${esc(LIKELIHOOD_TEXT.program!)}, ${lc["program-libc"]} from ${esc(
      LIKELIHOOD_TEXT["program-libc"]!,
    )}, ${lc.library} from ${esc(LIKELIHOOD_TEXT.library!)}, ${lc.startup} from ${esc(LIKELIHOOD_TEXT.startup!)}</h4>`,
    `<details open><summary>Likeliest to be needed (${likely.length} of ${s.byLikelihood.length})</summary>`,
    byLikelihood,
    `</details>`,
    `<details><summary>Known limits of the analysis (${s.limits.length})</summary><ul>`,
    ...s.limits.map((l) => `<li><b>${esc(l.kind)}</b>: ${esc(l.detail)}</li>`),
    `</ul></details>`,
    `</section>`,
  ].join("\n");
}
