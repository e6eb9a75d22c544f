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

/** What `onSiblingLanes` gives back: when its first items are done, and when all are (siblings closed). */
export interface SplitLanes {
  first: Promise<void>;
  all: Promise<void>;
}

/**
 * `onLanes` on sibling connections only (`lanes` of them), so that `db` stays free: `first`
 * resolves once `items[0 .. firstCount)` are done (the lanes take the items in order), `all` once
 * every item is and the siblings are closed. After a failure no further item starts, and both
 * reject. Both have a handler from the start: a caller busy on `db` awaits them later.
 */
export function onSiblingLanes<T>(
  db: Db,
  lanes: number,
  items: readonly T[],
  firstCount: number,
  work: (lane: Db, item: T) => Promise<void>,
): SplitLanes {
  const ends = items.map(() => {
    let end!: (e?: unknown) => void;
    const p = new Promise<void>((resolve, reject) => {
      end = (e?: unknown) => (e === undefined ? resolve() : reject(e as Error));
    });
    p.catch(() => undefined);
    return { p, end };
  });
  let next = 0;
  const all = (async (): Promise<void> => {
    const siblings: Db[] = [];
    try {
      for (let i = 0; i < Math.max(1, Math.min(lanes, items.length)); i++) siblings.push(await db.sibling());
      const lane = async (l: Db): Promise<void> => {
        while (next < items.length) {
          const k = next++;
          try {
            await work(l, items[k]!);
          } catch (e) {
            next = items.length;
            ends[k]!.end(e);
            throw e;
          }
          ends[k]!.end();
        }
      };
      // every lane settled before the siblings close (none left running a query)
      const failed = (await Promise.allSettled(siblings.map(lane))).find((r) => r.status === "rejected");
      if (failed !== undefined) throw failed.reason;
    } catch (e) {
      // items never started end with the failure too (a no-op for those already ended)
      for (const x of ends) x.end(e ?? new Error("lane failed"));
      throw e;
    } finally {
      for (const s of siblings) s.close();
    }
  })();
  all.catch(() => undefined);
  const first = Promise.all(ends.slice(0, firstCount).map((x) => x.p)).then(() => undefined);
  first.catch(() => undefined);
  return { first, all };
}
