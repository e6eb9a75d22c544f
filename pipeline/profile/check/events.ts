/**
 * The denied events of a check: the events of the denied groups, joined back by the group's key
 * (arch, syscall, phase and kept argument values), in event order.
 */
import { quoteString, type Db } from "../../duckdb.ts";
import { num, type Group } from "./groups.ts";
import { POSITIONS, type CheckScope } from "./scope.ts";
import type { DeniedEvent } from "./types.ts";

/**
 * At most `limit` events of the `denied` groups (none when there are none), and with `perSyscall`
 * at most that many (the first) of each syscall.
 */
export async function deniedEvents(
  db: Db,
  scope: CheckScope,
  keep: string,
  denied: readonly Group[],
  limit: number,
  perSyscall?: number,
): Promise<DeniedEvent[]> {
  if (denied.length === 0) return [];
  const keys = denied.map(
    (g) =>
      `(${quoteString(g.arch)}, ${quoteString(g.syscall)}, ${quoteString(g.phase)}, ${g.values
        .map((x) => (x === null ? "NULL::UBIGINT" : `${x}::UBIGINT`))
        .join(", ")})`,
  );
  const evCols = POSITIONS.map((p) => `(CASE WHEN k.k${p} THEN e.arg${p} END)::UBIGINT`);
  const match = POSITIONS.map((p) => `${evCols[p]} IS NOT DISTINCT FROM d.a${p}`).join(" AND ");
  const ev = await db.query<Record<string, unknown>>(
    `SELECT e.run, e.capture, e.seq, e.ts_ns, e.pid, e.tid, e.comm, e.phase, e.syscall, e.args_raw
     FROM ${scope.src} e LEFT JOIN ${keep} ON k.syscall = e.syscall
     JOIN (VALUES ${keys.join(", ")}) AS d(arch, syscall, phase, a0, a1, a2, a3, a4, a5)
       ON d.arch = e.arch AND d.syscall = e.syscall AND d.phase = e.phase AND ${match}
     WHERE ${scope.whereOf("e.")}
     ${perSyscall === undefined ? "" : `QUALIFY row_number() OVER (PARTITION BY e.syscall ORDER BY e.run, e.capture, e.seq) <= ${Math.max(0, Math.floor(perSyscall))}`}
     ORDER BY e.run, e.capture, e.seq LIMIT ${Math.max(0, Math.floor(limit))}`,
  );
  return ev.map((r) => ({
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
