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
 * Work queued on a second connection while the caller goes on (the Parquet results written while
 * JavaScript makes the JSON or the next image's estimates, or one query beside another), in order.
 * `run` gives the work's result; `add` queues work whose failure `drain()` throws (the first one).
 * `close()` in a finally.
 */
export class SideLane {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: unknown = undefined;

  private constructor(
    private readonly db: Db,
    private readonly lane: Db | null,
  ) {}

  /** A lane on a sibling of `db`, or (one thread in the budget) on `db` itself. */
  static async open(db: Db): Promise<SideLane> {
    return new SideLane(db, maxThreads() > 1 ? await db.sibling() : null);
  }

  /** Queues `work` on the lane's connection (the caller's when it has none of its own). */
  run<T>(work: (lane: Db) => Promise<T>): Promise<T> {
    const lane = this.lane ?? this.db;
    const done = this.tail.then(() => work(lane));
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** `run`, its failure kept for `drain()`. */
  add(work: (lane: Db) => Promise<void>): void {
    this.run(work).catch((e: unknown) => {
      this.failure ??= e;
    });
  }

  async drain(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits for what is queued (failed or not), then closes the lane's connection. */
  async close(): Promise<void> {
    await this.tail;
    this.lane?.close();
  }
}
