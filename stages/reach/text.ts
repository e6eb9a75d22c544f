/**
 * `reach`'s tables as text: the counts, the analysed files, M \ S with reasons and S \ M ranked.
 * Pure: the result in, lines out.
 */
import type { Comparison } from "./compare.ts";

export interface ReachText {
  image: string;
  rootfs: string;
  runs: number;
  programs: { path: string; interpreter?: string; reachable: number; missing: string[] }[];
  skipped: { path: string; reason: string }[];
  files: {
    path: string;
    role: string;
    closures: boolean;
    instructions: number;
    syscallSites: number;
    unknownSites: number;
    cached: boolean;
    seconds: number;
  }[];
  comparison: Comparison;
  unknownSites: number;
  seconds: number;
}

const pad = (rows: string[][]): string[] => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
};

export function reachText(r: ReachText, limit: number): string {
  const c = r.comparison;
  const out: string[] = [];
  out.push(
    `${r.image} (${r.runs} run(s); rootfs ${r.rootfs}): |M| ${c.mined} mined, |S| ${c.reachable} reachable, ${c.both} in both, |M\\S| ${c.gaps.length}, |S\\M| ${c.unseen.length}; ${r.unknownSites} syscall site(s) of unknown number; ${r.seconds.toFixed(1)} s`,
  );
  for (const p of r.programs) {
    out.push(
      `  program ${p.path}${p.interpreter ? ` (script: ${p.interpreter})` : ""}: ${p.reachable} reachable${p.missing.length ? `; not found: ${p.missing.join(", ")}` : ""}`,
    );
  }
  for (const s of r.skipped) out.push(`  skipped ${s.path}: ${s.reason}`);
  out.push("", "files:");
  out.push(
    ...pad([
      ["  path", "role", "analysis", "instructions", "sites", "unknown", "time"],
      ...r.files.map((f) => [
        `  ${f.path}`,
        f.role,
        f.closures ? "per function" : "whole",
        String(f.instructions),
        String(f.syscallSites),
        String(f.unknownSites),
        f.cached ? `cached ${f.seconds.toFixed(2)} s` : `${f.seconds.toFixed(2)} s`,
      ]),
    ]),
  );
  out.push("", `M \\ S (mined, not reachable): ${c.gaps.length}`);
  if (c.gaps.length)
    out.push(
      ...pad([
        ["  syscall", "reason", "detail"],
        ...c.gaps.map((g) => [`  ${g.syscall}`, g.reason, g.detail]),
      ]),
    );
  const shown = c.unseen.slice(0, limit);
  out.push(
    "",
    `S \\ M (reachable, never seen), riskiest and likeliest first: ${c.unseen.length}${shown.length < c.unseen.length ? ` (first ${shown.length}; --limit)` : ""}`,
  );
  if (shown.length) {
    out.push(
      ...pad([
        ["  syscall", "risk", "likelihood", "origin"],
        ...shown.map((u) => [
          `  ${u.syscall}`,
          u.risk === "none" ? "-" : `${u.risk} ${u.cves.join(" ")}`.trim(),
          u.likelihood,
          u.origins[0] ?? "",
        ]),
      ]),
    );
  }
  return out.join("\n");
}
