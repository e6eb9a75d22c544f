/**
 * The governed events of a check grouped by DuckDB on what the verdict can depend on: arch,
 * syscall, number, phase and the kept argument values (pipeline/profile/check/scope.ts), each
 * group with its events, runs and processes.
 */
import { u64 } from "../../../stages/profile/facts.ts";
import type { Db } from "../../duckdb.ts";
import { POSITIONS, type CheckScope } from "./scope.ts";

/** One distinct governed call. */
export interface Group {
  arch: string;
  syscall: string;
  nr: number | null;
  phase: string;
  values: (bigint | null)[];
  events: number;
  runs: string[];
  procs: string[];
}

/** A BIGINT (or a small number) as a number. */
export const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));

/** The groups of the scope's governed events, in a total order. */
export async function groupEvents(db: Db, scope: CheckScope, keep: string): Promise<Group[]> {
  const cols = POSITIONS.map((p) => `CASE WHEN k.k${p} THEN e.arg${p} END AS a${p}`).join(", ");
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE check_groups AS
     SELECT e.arch, e.syscall, e.nr, e.phase, ${cols}, count(*) AS events,
            list(DISTINCT e.run ORDER BY e.run) AS runs, list(DISTINCT coalesce(e.comm, '') ORDER BY coalesce(e.comm, '')) AS procs
     FROM ${scope.src} e LEFT JOIN ${keep} ON k.syscall = e.syscall
     WHERE ${scope.whereOf("e.")} AND e.${scope.phaseIn}
     GROUP BY ALL ORDER BY ALL`,
  );
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM check_groups`);
  return rows.map((r) => ({
    arch: r.arch as string,
    syscall: r.syscall as string,
    nr: r.nr === null ? null : num(r.nr),
    phase: r.phase as string,
    values: POSITIONS.map((p) => (r[`a${p}`] === null ? null : u64(BigInt(r[`a${p}`] as bigint)))),
    events: num(r.events),
    runs: (r.runs as { items: string[] }).items ?? (r.runs as string[]),
    procs: (r.procs as { items: string[] }).items ?? (r.procs as string[]),
  }));
}
