/**
 * `check`: replays every recorded event of an image through a profile's semantics
 * (stages/seccomp/evaluate.ts) and lists the events it would deny. Events are grouped by DuckDB on
 * what the verdict can depend on (arch, syscall, phase and only the argument positions some rule of
 * the profile compares), so each distinct call is evaluated once; the denied groups are then
 * joined back to list their events.
 */
import { X86_64_TO_AARCH64 } from "../../schemas/arch-equivalents.ts";
import { syscallNumber } from "../../schemas/consts.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { eventsSource } from "../../stages/characterize/index.ts";
import { u64 } from "../../stages/profile/facts.ts";
import { compileProfile } from "../../stages/seccomp/compile.ts";
import { evaluate, type Verdict } from "../../stages/seccomp/evaluate.ts";
import { scmpArchOfToken, type Target, type TargetArch } from "../../stages/seccomp/target.ts";
import { quoteString, type Db } from "../duckdb.ts";

export interface CheckOptions {
  image: string;
  /** phases the filter governs; events of other phases are counted, not checked */
  phases: readonly string[];
  /** runs to check (all when absent) */
  runs?: readonly string[];
  /** at most this many denied events listed (all are counted) */
  limit: number;
  caps?: readonly string[];
}

/** One distinct denied call. */
export interface DeniedCall {
  syscall: string;
  /** the name checked on the profile's architecture (open → openat on aarch64) */
  checked_as: string;
  arch: string;
  phase: string;
  args: (string | null)[];
  events: number;
  runs: string[];
  processes: string[];
  action: string;
  errno?: number;
}

export interface DeniedEvent {
  run: string;
  capture: string;
  seq: number;
  ts_ns: string | null;
  pid: number;
  tid: number;
  comm: string | null;
  phase: string;
  syscall: string;
  args_raw: string;
}

export interface CheckResult {
  image: string;
  arch: TargetArch;
  events: number;
  checked: number;
  /** events of phases the filter does not govern (runc before it loads the filter) */
  not_governed: number;
  /** recorded calls the profile's architecture does not have (arch_prctl on aarch64) */
  not_on_arch: number;
  /** events whose verdict depends on an argument value the capture did not record */
  undetermined: number;
  denied: number;
  denied_workload: number;
  calls: DeniedCall[];
  denied_events: DeniedEvent[];
}

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));
const ARCH_OF_SCMP: Readonly<Record<string, TargetArch>> = {
  x86_64: "x86_64",
  aarch64: "aarch64",
  x86: "i386",
};

/** The architecture a profile is checked on: its first listed one (x86_64 when none is listed). */
export function profileArch(p: DockerProfile): TargetArch {
  const first = p.architectures?.[0] ?? p.archMap?.[0]?.architecture;
  const scmp = first === undefined ? "x86_64" : scmpArchOfToken(first);
  return (scmp && ARCH_OF_SCMP[scmp]) ?? "x86_64";
}

/** Names whose rules compare arguments, and the positions compared. */
function comparedPositions(p: DockerProfile): Map<string, Set<number>> {
  const m = new Map<string, Set<number>>();
  for (const r of p.syscalls) {
    if (!r.args?.length) continue;
    for (const n of r.names) {
      const s = m.get(n) ?? new Set<number>();
      for (const a of r.args) s.add(a.index);
      m.set(n, s);
    }
  }
  return m;
}

interface Group {
  arch: string;
  syscall: string;
  nr: number | null;
  phase: string;
  values: (bigint | null)[];
  events: number;
  runs: string[];
  procs: string[];
}

/** Checks the events of `opts.image` against `profile`. */
export async function checkProfile(
  db: Db,
  dataset: string,
  profile: DockerProfile,
  opts: CheckOptions,
): Promise<CheckResult> {
  const arch = profileArch(profile);
  const target: Target = { arch, ...(opts.caps ? { caps: opts.caps } : {}) };
  const filter = compileProfile(profile, target);
  const src = eventsSource(dataset);
  // the image and run filter; `t` qualifies the columns in a join
  const whereOf = (t: string): string =>
    `${t}image = ${quoteString(opts.image)}` +
    (opts.runs ? ` AND ${t}run IN (${opts.runs.map(quoteString).join(", ") || "NULL"})` : "");
  const where = whereOf("");
  const phaseIn = `phase IN (${opts.phases.map(quoteString).join(", ")})`;

  const [totals] = await db.query<{ events: bigint; governed: bigint }>(
    `SELECT count(*) AS events, count(*) FILTER (WHERE ${phaseIn}) AS governed FROM ${src} WHERE ${where}`,
  );
  // positions to keep per recorded name: those compared for the name it is checked as
  const compared = comparedPositions(profile);
  const recordedNames = await db.query<{ syscall: string }>(
    `SELECT DISTINCT syscall FROM ${src} WHERE ${where}`,
  );
  const keep: string[] = [];
  for (const { syscall } of recordedNames) {
    const eq = arch === "aarch64" ? X86_64_TO_AARCH64[syscall] : undefined;
    const pos = new Set<number>();
    if (eq) {
      eq.args.forEach((a, i) => {
        if ("from" in a && compared.get(eq.to)?.has(i)) pos.add(a.from);
      });
    } else for (const p of compared.get(syscall) ?? []) pos.add(p);
    if (pos.size)
      keep.push(`(${quoteString(syscall)}, ${[0, 1, 2, 3, 4, 5].map((p) => pos.has(p)).join(", ")})`);
  }
  const cols = [0, 1, 2, 3, 4, 5].map((p) => `CASE WHEN k.k${p} THEN e.arg${p} END AS a${p}`).join(", ");
  const keepTable = keep.length
    ? `(VALUES ${keep.join(", ")}) AS k(syscall, k0, k1, k2, k3, k4, k5)`
    : `(SELECT NULL::VARCHAR AS syscall, false AS k0, false AS k1, false AS k2, false AS k3, false AS k4, false AS k5) AS k`;
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE check_groups AS
     SELECT e.arch, e.syscall, e.nr, e.phase, ${cols}, count(*) AS events,
            list(DISTINCT e.run ORDER BY e.run) AS runs, list(DISTINCT coalesce(e.comm, '') ORDER BY coalesce(e.comm, '')) AS procs
     FROM ${src} e LEFT JOIN ${keepTable} ON k.syscall = e.syscall
     WHERE ${whereOf("e.")} AND e.${phaseIn}
     GROUP BY ALL ORDER BY ALL`,
  );
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM check_groups`);
  const groups: Group[] = rows.map((r) => ({
    arch: r.arch as string,
    syscall: r.syscall as string,
    nr: r.nr === null ? null : num(r.nr),
    phase: r.phase as string,
    values: [0, 1, 2, 3, 4, 5].map((p) => (r[`a${p}`] === null ? null : u64(BigInt(r[`a${p}`] as bigint)))),
    events: num(r.events),
    runs: (r.runs as { items: string[] }).items ?? (r.runs as string[]),
    procs: (r.procs as { items: string[] }).items ?? (r.procs as string[]),
  }));

  let checked = 0;
  let notOnArch = 0;
  let undetermined = 0;
  const calls: (DeniedCall & { key: Group })[] = [];
  for (const g of groups) {
    let name = g.syscall;
    let values = g.values;
    let nr: number | undefined;
    if (g.arch === arch) nr = g.nr ?? syscallNumber(arch, name);
    else if (g.arch === "x86_64" && arch === "aarch64") {
      const eq = X86_64_TO_AARCH64[name];
      if (eq) {
        name = eq.to;
        values = eq.args.map((a) =>
          "from" in a ? (g.values[a.from] ?? null) : "value" in a ? u64(a.value) : null,
        );
      }
      nr = syscallNumber(arch, name);
    } else nr = syscallNumber(g.arch, name);
    if (nr === undefined) {
      notOnArch += g.events;
      continue;
    }
    const evArch = g.arch === "x86_64" && arch === "aarch64" ? arch : g.arch;
    const v: Verdict = evaluate(filter, evArch, nr, values);
    checked += g.events;
    if (v.undetermined) undetermined += g.events;
    if (v.action === "SCMP_ACT_ALLOW" || v.action === "SCMP_ACT_LOG") continue;
    calls.push({
      syscall: g.syscall,
      checked_as: name,
      arch: g.arch,
      phase: g.phase,
      args: g.values.map((x) => (x === null ? null : `0x${x.toString(16)}`)),
      events: g.events,
      runs: g.runs,
      processes: g.procs,
      action: v.action,
      ...(v.errno !== undefined ? { errno: v.errno } : {}),
      key: g,
    });
  }
  const denied = calls.reduce((n, c) => n + c.events, 0);
  const deniedWorkload = calls.filter((c) => c.phase !== "init").reduce((n, c) => n + c.events, 0);

  let deniedEvents: DeniedEvent[] = [];
  if (calls.length) {
    const keys = calls.map(
      ({ key: g }) =>
        `(${quoteString(g.arch)}, ${quoteString(g.syscall)}, ${quoteString(g.phase)}, ${g.values
          .map((x) => (x === null ? "NULL::UBIGINT" : `${x}::UBIGINT`))
          .join(", ")})`,
    );
    const evCols = [0, 1, 2, 3, 4, 5].map((p) => `(CASE WHEN k.k${p} THEN e.arg${p} END)::UBIGINT`);
    const match = [0, 1, 2, 3, 4, 5].map((p) => `${evCols[p]} IS NOT DISTINCT FROM d.a${p}`).join(" AND ");
    const ev = await db.query<Record<string, unknown>>(
      `SELECT e.run, e.capture, e.seq, e.ts_ns, e.pid, e.tid, e.comm, e.phase, e.syscall, e.args_raw
       FROM ${src} e LEFT JOIN ${keepTable} ON k.syscall = e.syscall
       JOIN (VALUES ${keys.join(", ")}) AS d(arch, syscall, phase, a0, a1, a2, a3, a4, a5)
         ON d.arch = e.arch AND d.syscall = e.syscall AND d.phase = e.phase AND ${match}
       WHERE ${whereOf("e.")}
       ORDER BY e.run, e.capture, e.seq LIMIT ${Math.max(0, Math.floor(opts.limit))}`,
    );
    deniedEvents = ev.map((r) => ({
      run: r.run as string,
      capture: r.capture as string,
      seq: num(r.seq),
      ts_ns: r.ts_ns === null ? null : String(r.ts_ns),
      pid: num(r.pid),
      tid: num(r.tid),
      comm: r.comm as string | null,
      phase: r.phase as string,
      syscall: r.syscall as string,
      args_raw: r.args_raw as string,
    }));
  }
  return {
    image: opts.image,
    arch,
    events: num(totals?.events ?? 0),
    checked,
    not_governed: num(totals?.events ?? 0) - num(totals?.governed ?? 0),
    not_on_arch: notOnArch,
    undetermined,
    denied,
    denied_workload: deniedWorkload,
    calls: calls
      .map(({ key: _k, ...c }) => c)
      .sort((a, b) => b.events - a.events || (a.syscall < b.syscall ? -1 : a.syscall > b.syscall ? 1 : 0)),
    denied_events: deniedEvents,
  };
}
