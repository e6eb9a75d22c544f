/** The terminal summary of a validation report. */
import type { ValidationReport } from "../../schemas/validation-report.ts";

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

export function summarize(r: ValidationReport): string {
  const h = r.host;
  const L: string[] = [
    `validate ${r.experiment} (${r.image}) on ${h.kernel}, ${h.os}; docker ${h.docker ?? "-"}, ${h.runc}, libseccomp ${h.libseccomp}`,
  ];
  for (const p of r.profiles) {
    L.push("", `profile ${p.label} (${p.source}; ${p.syscallsAllowed} syscalls allowed): ${p.file}`);
    if (p.enforce) {
      const e = p.enforce;
      const pass = e.rows.filter((x) => x.enforced.passed).length;
      L.push(
        `  enforce: ${pass}/${e.rows.length} pass (unconfined ${e.rows.filter((x) => x.unconfined.passed).length}), ${e.regressions} regression(s)${e.started ? "" : `; container failed: ${e.startError}`}`,
      );
      for (const x of e.rows.filter((x) => x.regression)) {
        const logged =
          p.complain?.summary.filter((s) => s.attributedTo.includes(x.name)).map((s) => s.syscall) ?? [];
        L.push(
          `    FAIL ${x.kind} ${x.name}: ${x.enforced.reason}${logged.length ? `; complain run logged: ${logged.join(", ")}` : ""}`,
        );
      }
    }
    if (p.complain) {
      const c = p.complain;
      L.push(
        `  complain: ${c.denials.length} audit record(s)${c.complete ? "" : ` (may be incomplete: ${c.incompleteReasons.join("; ")})`}`,
      );
      for (const s of c.summary) L.push(`    ${s.syscall} ×${s.count} in ${s.attributedTo.join(", ")}`);
    }
    if (p.probes) {
      L.push(
        `  probes: ${p.probes.filter((x) => x.blocked).length}/${p.probes.length} blocked   (mined | runtime default | unconfined)`,
      );
      for (const x of p.probes)
        L.push(
          `    ${x.blocked ? "blocked" : "OPEN   "} ${x.name.padEnd(18)} ${String(x.mined.errnoName).padEnd(14)} | ${String(x.runtimeDefault.errnoName).padEnd(14)} | ${x.unconfined.errnoName}${x.blocked ? "" : `   (expected ${x.expected.action} ${x.expected.errnoName ?? ""})`}`,
        );
    }
    if (p.heldOut) {
      const fa = p.heldOut.reduce((n, x) => n + x.failed.length, 0);
      L.push(
        `  held-out runs: ${p.heldOut.length}, false alarms (failed tests) ${fa}, runs with logged calls ${p.heldOut.filter((x) => x.denials.length > 0).length}`,
      );
      for (const x of p.heldOut)
        if (x.failed.length || x.denials.length)
          L.push(
            `    without ${x.heldOut}: failed ${x.failed.join(", ") || "-"}; logged ${x.denials.join(", ") || "-"}`,
          );
    }
  }
  if (r.overhead) {
    const o = r.overhead;
    L.push("", `overhead (${o.rounds} rounds interleaved, ${o.unit}): ${o.command}`);
    for (const x of o.rows) {
      L.push(
        `  ${x.config.padEnd(16)} median ${x.median.toFixed(1)} [${x.min.toFixed(1)}–${x.max.toFixed(1)}]  ratio ${x.ratio.toFixed(3)} [${x.ratioMin.toFixed(3)}–${x.ratioMax.toFixed(3)}]  (${x.ratio <= 1 ? "-" : "+"}${pct(Math.abs(1 - x.ratio))})`,
      );
      if (x.ratioPaired !== undefined)
        L.push(
          `  ${"".padEnd(16)} per-round ratio ${x.ratioPaired.toFixed(3)}, 95 % [${x.ratioLo!.toFixed(3)}–${x.ratioHi!.toFixed(3)}]` +
            (x.cpuRatio != null
              ? `; CPU per op ${x.cpuRatio.toFixed(3)}, 95 % [${x.cpuRatioLo!.toFixed(3)}–${x.cpuRatioHi!.toFixed(3)}]`
              : ""),
        );
    }
    if (o.cpuSource) L.push(`  CPU time: ${o.cpuSource} of the container's cgroup`);
    for (const m of o.micro ?? [])
      if (m.config !== "unconfined")
        L.push(
          `  micro ${m.call.padEnd(12)} ${m.config.padEnd(16)} ${m.ratio.toFixed(3)} [${m.ratioLo.toFixed(3)}–${m.ratioHi.toFixed(3)}] of unconfined (${m.measure} ns)${m.argRules ? ", argument rules: no action cache" : ""}${m.errno > 0 ? `, errno ${m.errno}` : ""}`,
        );
  }
  for (const n of r.notes) L.push(`note: ${n}`);
  L.push(
    "",
    r.failed
      ? "FAILED: a test that passes unconfined fails under a profile"
      : "ok: no test fails under a profile that passes without one",
  );
  return L.join("\n") + "\n";
}
