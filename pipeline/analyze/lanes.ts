/**
 * More than one DuckDB query at once in one analysis session. The analysis queries read tables of
 * ≤ 10^5 rows, which one DuckDB thread runs best (a second thread per query cost more CPU than it
 * gave, measured on the analyze bench): a second core is used by a second query at once instead,
 * on a sibling connection (pipeline/duckdb.ts `Db.sibling`), or by JavaScript while DuckDB writes.
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

/**
 * Writes queued while the caller goes on (its JavaScript, e.g. the coverage estimators of the next
 * image, runs while DuckDB writes the last one's files), on one sibling connection, in order.
 * `drain()` waits for all of them (and throws the first failure); `close()` in a finally.
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;

  private constructor(private readonly lane: Db | null) {}

  /** A queue on a sibling of `db`, or (one thread in the budget) on `db` itself. */
  static async open(db: Db): Promise<WriteQueue> {
    return new WriteQueue(maxThreads() > 1 ? await db.sibling() : null);
  }

  /** Queues `work` on the queue's connection (`db` when it has none of its own). */
  add(db: Db, work: (lane: Db) => Promise<void>): void {
    const lane = this.lane ?? db;
    this.tail = this.tail.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await work(lane);
      } catch (e) {
        this.failure = e;
      }
    });
  }

  async drain(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits for what is queued (failed or not), then closes the queue's connection. */
  async close(): Promise<void> {
    await this.tail;
    this.lane?.close();
  }
}
