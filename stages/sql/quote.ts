/**
 * SQL quoting for identifiers and literals (paths, names). Pure, so that stages can build SQL text
 * without loading DuckDB; `pipeline/duckdb.ts` runs it.
 */

/** Quotes a string literal for SQL (paths, names). */
export function quoteString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Quotes an identifier for SQL. */
export function quoteIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
