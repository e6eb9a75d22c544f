/**
 * The at-a-glance section at the top of the report: per image, the verdict and P(new), the mined
 * profiles against the runtime default, the dangerous syscalls they still allow (each named once,
 * with its CVEs), the probes blocked and the false alarms found (stages/report/risk.ts).
 */
import { CVE_SOURCE } from "../../../schemas/dangerous-syscalls.ts";
import { esc } from "../escape.ts";
import { percent } from "../format.ts";
import type { ReportData } from "../model.ts";
import { fig, note, table } from "../parts.ts";
import { plotId } from "../plots.ts";
import { riskSummary, type ImageRisk } from "../risk.ts";

function verdict(r: ImageRisk): string {
  const c = r.coverage;
  if (!c)
    return `<p class="verdict">No captures of ${esc(r.image)} in this dataset: no coverage verdict.</p>`;
  const cls = c.verdict === "saturated" ? "ok" : "warn";
  return (
    `<p class="verdict"><span class="badge ${cls}" data-figure="summary.${esc(r.image)}.verdict">${esc(c.verdict)}</span> ` +
    `P(new syscall in the next run) <strong data-figure="summary.${esc(r.image)}.p_new" data-value="${esc(c.p_new)}">${esc(percent(c.p_new))}</strong>` +
    ` · P(new argument rule) <strong data-figure="summary.${esc(r.image)}.arg_p_new" data-value="${esc(c.arg_p_new)}">${esc(percent(c.arg_p_new))}</strong>` +
    ` (${esc(c.arg_verdict)}) · from ${c.runs} ${c.runs === 1 ? "run" : "runs"}</p>`
  );
}

function profiles(r: ImageRisk): string {
  if (r.profiles.length === 0)
    return note("No profile report for this image yet (sandmine synthesize writes one beside each profile).");
  const id = `summary.${r.image}`;
  return table(
    plotId("summary-profiles", r.image),
    ["profile", "arch", "arguments", "allowed", "runtime default allows", "removed", "allowed beyond it"],
    r.profiles.map((p) => [
      p.name,
      p.arch,
      p.args,
      fig(String(p.allowed), `${id}.${p.name}.allowed`, p.allowed),
      { text: `${p.allowed_default}`, figure: `${id}.${p.name}.allowed_default`, value: p.allowed_default },
      fig(String(p.removed), `${id}.${p.name}.removed`, p.removed),
      p.added.join(", ") || "–",
    ]),
  );
}

function dangers(r: ImageRisk): string {
  if (r.profiles.length === 0) return "";
  if (r.dangers.length === 0)
    return `<p class="dangers" data-figure="summary.${esc(r.image)}.dangerous" data-value="0">No syscall with a known exploit is allowed by its profiles.</p>`;
  const items = r.dangers.map(
    (d) =>
      `<li data-dangerous="${esc(d.name)}"><code>${esc(d.name)}</code> ` +
      `<span class="sev ${esc(d.severity)}">${esc(d.severity === "warning" ? "rarely needed" : "often needed")}</span>: ` +
      d.cves.map((c) => `<a href="${esc(CVE_SOURCE(c.id))}">${esc(c.id)}</a> ${esc(c.what)}`).join("; ") +
      ` <span class="by">(${esc(d.allowed_by.map((b) => (b.how === "allowed" ? b.profile : `${b.profile}: ${b.how}`)).join(", "))})</span></li>`,
  );
  return (
    `<p class="dangers"><strong data-figure="summary.${esc(r.image)}.dangerous" data-value="${r.dangers.length}">${r.dangers.length}</strong> ` +
    `${r.dangers.length === 1 ? "dangerous syscall" : "dangerous syscalls"} still allowed (public exploits went through them):</p><ul class="dangers">${items.join("")}</ul>`
  );
}

function validation(r: ImageRisk): string {
  if (r.probes === null || r.false_alarms === null)
    return note("Not validated on a host yet (sandmine validate): no probes, no false alarms measured.");
  const probes = r.probes.length
    ? r.probes
        .map(
          (p) =>
            `${esc(p.profile)} <strong data-figure="summary.${esc(r.image)}.${esc(p.profile)}.probes_blocked" data-value="${p.blocked}">${p.blocked}/${p.total}</strong>` +
            (p.not_blocked.length ? ` (not blocked: ${esc(p.not_blocked.join(", "))})` : ""),
        )
        .join(" · ")
    : "none run";
  const alarms = r.false_alarms.length
    ? `<ul class="alarms">${r.false_alarms.map((a) => `<li>${esc(a.profile)}: ${esc(a.what)}</li>`).join("")}</ul>`
    : "";
  return (
    `<p class="probes">Attack probes blocked: ${probes}</p>` +
    `<p class="alarms">False alarms found: <strong data-figure="summary.${esc(r.image)}.false_alarms" data-value="${r.false_alarms.length}">${r.false_alarms.length}</strong>` +
    (r.false_alarms.length
      ? ""
      : " (every test and use case passed under the profile, held-out runs included)") +
    `</p>${alarms}`
  );
}

export function summarySection(d: ReportData): string {
  const rows = riskSummary(d);
  const body = rows.map(
    (r) =>
      `<article class="risk" id="${esc(plotId("summary", r.image))}"><h3>${esc(r.image)}</h3>` +
      verdict(r) +
      profiles(r) +
      dangers(r) +
      validation(r) +
      `</article>`,
  );
  return [
    `<section id="summary"><h2>At a glance</h2>`,
    `<p>Per image: is the recording complete enough (coverage verdict, P(new)), how much smaller than the runtime default each mined profile is, ` +
      `what it still allows that public exploits used, and what validation on a host found.</p>`,
    `<div class="risks">`,
    ...body,
    `</div>`,
    `</section>`,
  ].join("\n");
}
