/**
 * Complain: the tests run under the profile turned into SCMP_ACT_LOG (stages/host/complain.ts),
 * and the kernel's seccomp audit records read from the kernel log and attributed to the test
 * that ran when each was logged; reasons the log may be incomplete are listed.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ComplainResult, Denial } from "../../../schemas/validation-report.ts";
import { attribute, lossNote, parseAuditLine, SECCOMP_RET_LOG } from "../../../stages/host/audit.ts";
import { complainProfile } from "../../../stages/host/complain.ts";
import { dockerJson } from "../../../stages/profile/render.ts";
import { KernelLog, withComplainLock } from "../kmsg.ts";
import { auditdRunning } from "../versions.ts";
import { hostInfoCached, type Ctx, type Resolved } from "./context.ts";
import { runTests, type TestsRun } from "./enforce.ts";

/** Runs the tests (`only` these; with the use cases unless told not to) under `p` in complain mode. */
export async function complain(
  c: Ctx,
  p: Resolved,
  only?: ReadonlySet<string>,
  withUseCases = true,
): Promise<ComplainResult> {
  const file = join(c.work, `${p.label}.complain.json`);
  writeFileSync(file, dockerJson(complainProfile(p.profile)));
  const { r, lines, overruns } = await withComplainLock(async () => {
    const klog = KernelLog.open();
    try {
      const r = await runTests(c, { kind: "profile", file }, withUseCases, only);
      await new Promise((res) => setTimeout(res, 300)); // printk of the last records
      return { r, lines: klog.take(), overruns: klog.overruns };
    } finally {
      klog.close();
    }
  }, c.o.log);
  const reasons = await hostReasons(overruns);
  const denials: Denial[] = [];
  for (const l of lines) {
    const note = lossNote(l);
    if (note) reasons.push(note);
    const d = denialOf(l, r);
    if (d) denials.push(d);
  }
  return {
    started: r.error === null,
    startError: r.error,
    tests: r.tests,
    denials,
    summary: summaryOf(denials),
    complete: reasons.length === 0,
    incompleteReasons: [...new Set(reasons)],
  };
}

/** Why this host's log may lack records: settings, an audit daemon, ring overruns. */
async function hostReasons(overruns: number): Promise<string[]> {
  const reasons: string[] = [];
  const info = await hostInfoCached();
  if (!info.actionsLogged.includes("log"))
    reasons.push("/proc/sys/kernel/seccomp/actions_logged lacks 'log': SCMP_ACT_LOG calls are not logged");
  if (auditdRunning()) reasons.push("an audit daemon is running: records go to it, not to the kernel log");
  if (overruns > 0) reasons.push(`the kernel log ring overran ${overruns} time(s) while reading`);
  return reasons;
}

/** The SCMP_ACT_LOG record of kernel log line `l` logged while the tests ran (±1 s), or null. */
function denialOf(l: string, r: Pick<TestsRun, "start" | "end" | "windows">): Denial | null {
  const a = parseAuditLine(l);
  if (!a || a.action !== SECCOMP_RET_LOG) return null;
  if (a.epochMs < r.start - 1000 || a.epochMs > r.end + 1000) return null;
  return {
    time: new Date(a.epochMs).toISOString(),
    serial: a.serial,
    pid: a.pid,
    comm: a.comm,
    exe: a.exe,
    arch: a.arch,
    nr: a.nr,
    syscall: a.syscall,
    attributedTo: attribute(a.epochMs, r.windows),
  };
}

/** Per syscall (sorted): the records and the tests they were attributed to. */
function summaryOf(denials: readonly Denial[]): ComplainResult["summary"] {
  const by = new Map<string, { count: number; to: Set<string> }>();
  for (const d of denials) {
    const e = by.get(d.syscall) ?? { count: 0, to: new Set<string>() };
    e.count++;
    e.to.add(d.attributedTo);
    by.set(d.syscall, e);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([syscall, e]) => ({ syscall, count: e.count, attributedTo: [...e.to].sort() }));
}
