/**
 * The one DuckDB boundary: a lazily opened in-memory instance and connection, with helpers that
 * quote identifiers and strings. Nothing else in the project talks to DuckDB directly. Init never
 * touches the network (parquet and json are built into @duckdb/node-api).
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";

// required, not imported: an ESM import of this CommonJS package makes Node's module lexer parse
// its ~80 re-exported files for their export names (≈ 0.13 CPU s at the start of every process
// that opens DuckDB, `sandmine characterize` / `coverage` included, measured with --cpu-prof);
// and required when first opened, not with this module (≈ 90 ms on the main thread: `ingest`
// starts its workers first and loads it while they start)
let duckdb: typeof import("@duckdb/node-api") | undefined;
/** The DuckDB package, loaded on first use. */
export function loadDuckdb(): typeof import("@duckdb/node-api") {
  return (duckdb ??= createRequire(import.meta.url)("@duckdb/node-api") as typeof import("@duckdb/node-api"));
}

/** An error from DuckDB with the SQL that caused it. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly sql: string,
  ) {
    super(message);
    this.name = "QueryError";
  }
}

export { quoteIdent, quoteString } from "../stages/sql/quote.ts";

/** The budget of each instance opened from now on (`--max-memory`, pipeline/memory.ts); none: DuckDB's defaults. */
let budget: { memoryBytes: number; threads: number } | undefined;

/**
 * Sets memory_limit and the most threads of the instances opened after this call (undefined:
 * DuckDB's defaults, 80% of RAM and every core). With a budget, what does not fit spills to a
 * folder of this process under the system's temp folder (DuckDB's default, `.tmp`, is in the cwd).
 */
export function setMemoryLimit(bytes: number | undefined, threads = availableParallelism()): void {
  budget =
    bytes === undefined
      ? undefined
      : { memoryBytes: bytes, threads: Math.max(1, Math.min(threads, availableParallelism())) };
}

/** The threads a query may use at most: every core, or fewer under a budget. */
export function maxThreads(): number {
  return Math.min(availableParallelism(), budget?.threads ?? Infinity);
}

/** A DuckDB session; `close()` releases it. */
export class Db {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    /** false for a sibling: its close() leaves the instance to its owner */
    private readonly owner = true,
  ) {}

  /**
   * A second connection to the same database (its tables, not its TEMP ones): queries on
   * siblings run at once, each on its own thread, even in an instance of one DuckDB thread.
   * Close it before its owner.
   */
  async sibling(): Promise<Db> {
    return new Db(this.instance, await this.instance.connect(), false);
  }

  /** Opens an in-memory database. `threads` fixes parallelism (1 gives deterministic writes; a budget's threads at most). */
  static async open(threads?: number): Promise<Db> {
    const opts: Record<string, string> = {
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "true",
    };
    const n = budget ? Math.min(threads ?? Infinity, budget.threads) : threads;
    if (n !== undefined) opts.threads = String(n);
    if (budget) {
      opts.memory_limit = `${Math.floor(budget.memoryBytes / 1048576)}MiB`;
      opts.temp_directory = join(tmpdir(), `sandmine-duckdb-${process.pid}`);
    }
    const instance = await loadDuckdb().DuckDBInstance.create(":memory:", opts);
    const conn = await instance.connect();
    return new Db(instance, conn);
  }

  /** Runs statements that return nothing. */
  async exec(sql: string, params?: DuckDBValue[]): Promise<void> {
    try {
      await this.conn.run(sql, params);
    } catch (e) {
      throw new QueryError((e as Error).message, sql);
    }
  }

  /** Runs a query and returns rows as objects (BIGINT as bigint). */
  async query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]> {
    try {
      const r = await this.conn.runAndReadAll(sql, params);
      return r.getRowObjects() as T[];
    } catch (e) {
      throw new QueryError((e as Error).message, sql);
    }
  }

  /** Releases the connection and (unless a sibling) the instance. */
  close(): void {
    this.conn.closeSync();
    if (this.owner) this.instance.closeSync();
  }
}

/**
 * `withDb`, the instance opened while `prep` (synchronous work `fn` needs, e.g. file listings and
 * hashes) runs: DuckDB opens off the JavaScript thread (≈10 ms of an analysis command's wall time).
 */
export async function withDbAfter<P, T>(
  prep: () => P,
  fn: (db: Db, prepared: P) => Promise<T>,
  threads?: number,
): Promise<T> {
  const opening = Db.open(threads);
  let prepared: P;
  try {
    prepared = prep();
  } catch (e) {
    await opening.then(
      (db) => db.close(),
      () => undefined,
    );
    throw e;
  }
  const db = await opening;
  try {
    return await fn(db, prepared);
  } finally {
    db.close();
  }
}

/** Runs `fn` with a fresh Db and always closes it. */
export async function withDb<T>(fn: (db: Db) => Promise<T>, threads?: number): Promise<T> {
  const db = await Db.open(threads);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}
