/** The text `sandmine run` prints: the status table, and the summary of a run. */
import type { RunResult, StageStatus } from "./types.ts";

export function statusTable(rows: readonly StageStatus[]): string {
  const w = Math.max(5, ...rows.map((r) => r.id.length));
  const lines = [`${"stage".padEnd(w)}  state    reason`];
  for (const r of rows) lines.push(`${r.id.padEnd(w)}  ${r.state.padEnd(7)}  ${r.reason}`.trimEnd());
  const n = (s: string) => rows.filter((r) => r.state === s).length;
  lines.push(`${rows.length} stages: ${n("fresh")} fresh, ${n("stale")} stale, ${n("missing")} missing`);
  return lines.join("\n") + "\n";
}

export function summaryLine(r: RunResult): string {
  const lines = [
    `${r.study}: ${r.ran.length} stage(s) run, ${r.reused.length} reused, ${r.failed.length} failed, ${r.skipped.length} skipped in ${r.seconds.toFixed(1)} s`,
    ...r.failed.map((f) => `  failed ${f.id}: ${f.error}`),
    ...(r.skipped.length ? [`  not run (after a failure): ${r.skipped.join(", ")}`] : []),
    ...r.findings.map((f) => `  ${f.id}: ${f.finding}`),
    `results: ${r.out}`,
    `cache: ${r.cache}`,
  ];
  return lines.join("\n") + "\n";
}
