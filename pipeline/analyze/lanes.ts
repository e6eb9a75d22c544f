/**
 * More than one DuckDB query at once in one analysis session. The analysis queries read tables of
 * ≤ 10^5 rows, which one DuckDB thread runs best (a second thread per query cost more CPU than it
 * gave, measured on the analyze bench): a second core is used by a second query at once instead,
 * on a sibling connection (pipeline/duckdb.ts `Db.sibling`): the cold build's `sig` parts and its
 * derived tables (prepare.ts).
 * Each query still runs on one thread, so each file has the same bytes whichever lane wrote it.
 */
import { maxThreads, type Db } from "../duckdb.ts";

/** Runs `work` for each of `items` (in order, as lanes free up) on `db` and its siblings (one per further thread). */
export async function onLanes<T>(
  db: Db,
  items: readonly T[],
  work: (lane: Db, item: T) => Promise<void>,
): Promise<void> {
  const siblings: Db[] = [];
  try {
    for (let i = 1; i < Math.min(maxThreads(), items.length); i++) siblings.push(await db.sibling());
    let next = 0;
    const lane = async (l: Db): Promise<void> => {
      while (next < items.length) await work(l, items[next++]!);
    };
    await Promise.all([db, ...siblings].map(lane));
  } finally {
    for (const s of siblings) s.close();
  }
}
