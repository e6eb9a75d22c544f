/**
 * What `reach` reads from a dataset (through the DuckDB boundary): the programs an image's runs
 * executed, the shared objects they opened (dlopen targets among them), and the mined syscall
 * set with the task names that made each call. The runtime phase (runc before the container's
 * filter, running the host's runc) is not the image's and is left out.
 */
import { eventsSource } from "../../stages/characterize/index.ts";
import type { MinedSyscall } from "../../stages/reach/compare.ts";
import { quoteString, type Db } from "../duckdb.ts";

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));

export interface ImageRuns {
  /** absolute paths of successful execve/execveat calls, sorted */
  programs: string[];
  /** shared objects opened successfully, sorted */
  opened: string[];
  mined: MinedSyscall[];
  runs: number;
  /** the architectures the runs were recorded on (events' arch), sorted */
  archs: string[];
}

/** `excludeRuns`: runs left out (held out, e.g. use-case runs whose calls S should predict). */
export async function readImageRuns(
  db: Db,
  dataset: string,
  image: string,
  excludeRuns: readonly string[] = [],
): Promise<ImageRuns> {
  const src = eventsSource(dataset);
  let w = `image = ${quoteString(image)} AND phase <> 'runtime'`;
  if (excludeRuns.length) w += ` AND run NOT IN (${excludeRuns.map(quoteString).join(", ")})`;
  const programs = await db.query<{ path: string }>(
    `SELECT DISTINCT path FROM ${src} WHERE ${w} AND syscall IN ('execve', 'execveat') AND ret = 0
       AND path IS NOT NULL AND path LIKE '/%' ORDER BY path`,
  );
  const opened = await db.query<{ path: string }>(
    `SELECT DISTINCT coalesce(ret_path, path) AS path FROM ${src}
     WHERE ${w} AND syscall IN ('open', 'openat', 'openat2') AND ret >= 0
       AND regexp_matches(coalesce(ret_path, path), '^/.*\\.so(\\.[0-9.]+)?$') ORDER BY path`,
  );
  const mined = await db.query<{ syscall: string; calls: bigint; comms: string | null }>(
    `SELECT syscall, count(*) AS calls, string_agg(DISTINCT comm, '\n' ORDER BY comm) AS comms
     FROM ${src} WHERE ${w} GROUP BY syscall ORDER BY syscall`,
  );
  const runs = await db.query<{ n: bigint }>(`SELECT count(DISTINCT run) AS n FROM ${src} WHERE ${w}`);
  const archs = await db.query<{ arch: string }>(
    `SELECT DISTINCT CAST(arch AS VARCHAR) AS arch FROM ${src} WHERE ${w} AND arch IS NOT NULL ORDER BY arch`,
  );
  return {
    programs: programs.map((r) => r.path),
    opened: opened.map((r) => r.path),
    mined: mined.map((r) => ({
      syscall: r.syscall,
      calls: num(r.calls),
      comms: r.comms ? r.comms.split("\n") : [],
    })),
    runs: num(runs[0]?.n ?? 0),
    archs: archs.map((r) => r.arch),
  };
}
