/**
 * Reads what `synthesize` needs from a dataset in three aggregate queries (usage, restricted
 * argument values, paths), so the profile stage never sees single events.
 */
import { argModels } from "../../stages/characterize/index.ts";
import { restrictablePositions } from "../../stages/profile/arg-plan.ts";
import type { ArgRow, Facts, PathRow, UsageRow } from "../../stages/profile/facts.ts";
import { u64 } from "../../stages/profile/facts.ts";
import { X86_64_TO_AARCH64 } from "../../schemas/arch-equivalents.ts";
import { quoteString, type Db } from "../duckdb.ts";
import { imageEventsSource } from "../fleet/image-events.ts";

export interface FactsQuery {
  image: string;
  /** runs to leave out (held-out validation) */
  excludeRuns?: readonly string[];
  /** phases whose arguments and paths matter (the governed ones) */
  phases: readonly string[];
}

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));
const list = (xs: readonly string[]): string => xs.map(quoteString).join(", ");

/** The image and run filter; `t` qualifies the columns (`e.`) in a join. */
function where(q: FactsQuery, t = ""): string {
  let w = `${t}image = ${quoteString(q.image)}`;
  if (q.excludeRuns?.length) w += ` AND ${t}run NOT IN (${list(q.excludeRuns)})`;
  return w;
}

/** The facts of one image of the dataset (read from the image's own events files only). */
export async function readFacts(db: Db, dataset: string, q: FactsQuery): Promise<Facts> {
  const src = imageEventsSource(dataset, q.image);
  if (src === null) return { image: q.image, runs: [], events: 0, usage: [], args: [], paths: [] };
  const w = where(q);
  const usage = (
    await db.query<UsageRow & { calls: bigint }>(
      `SELECT syscall, arch, phase, coalesce(comm, '') AS comm, run, count(*) AS calls
       FROM ${src} WHERE ${w} GROUP BY ALL ORDER BY ALL`,
    )
  ).map((r) => ({ ...r, calls: num(r.calls) }));
  const runs = [...new Set(usage.map((u) => u.run))].sort();
  const events = usage.reduce((n, u) => n + u.calls, 0);

  const names = [...new Set(usage.map((u) => u.syscall))].sort();
  const keep = names
    .map((n) => ({ n, pos: restrictablePositions(n, n in X86_64_TO_AARCH64) }))
    .filter((k) => k.pos.length > 0)
    .map((k) => `(${quoteString(k.n)}, ${[0, 1, 2, 3, 4, 5].map((p) => k.pos.includes(p)).join(", ")})`);
  const phaseIn = `phase IN (${list(q.phases)})`;
  let args: ArgRow[] = [];
  if (keep.length) {
    const cols = [0, 1, 2, 3, 4, 5].map((p) => `CASE WHEN k.k${p} THEN e.arg${p} END AS a${p}`).join(", ");
    const rows = await db.query<Record<string, unknown>>(
      `SELECT e.syscall, e.arch, e.phase, ${cols}, count(*) AS calls
       FROM ${src} e JOIN (VALUES ${keep.join(", ")}) AS k(syscall, k0, k1, k2, k3, k4, k5) ON k.syscall = e.syscall
       WHERE ${where(q, "e.")} AND e.${phaseIn}
       GROUP BY ALL ORDER BY ALL`,
    );
    args = rows.map((r) => ({
      syscall: r.syscall as string,
      arch: r.arch as string,
      phase: r.phase as string,
      values: [0, 1, 2, 3, 4, 5].map((p) => {
        const v = r[`a${p}`];
        return v === null || v === undefined ? null : u64(BigInt(v as bigint));
      }),
      calls: num(r.calls),
    }));
  }

  const pathRows = await db.query<{ syscall: string; col: string; path: string; calls: bigint }>(
    `SELECT syscall, 'path' AS col, path, count(*) AS calls FROM ${src}
     WHERE ${w} AND ${phaseIn} AND path IS NOT NULL GROUP BY ALL
     UNION ALL
     SELECT syscall, 'path2' AS col, path2 AS path, count(*) AS calls FROM ${src}
     WHERE ${w} AND ${phaseIn} AND path2 IS NOT NULL GROUP BY ALL
     ORDER BY ALL`,
  );
  const paths: PathRow[] = pathRows.map((r) => ({
    syscall: r.syscall,
    arg: argModels(r.syscall).find((m) => m.source === r.col)?.name ?? r.col,
    path: r.path,
    calls: num(r.calls),
  }));
  return { image: q.image, runs, events, usage, args, paths };
}
