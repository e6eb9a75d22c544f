/**
 * The `runs` table: one row per run with its capture's counts, hashes, time span and integrity
 * (docs/dataset.md). Each column's SQL type, in table order; a commit record holds a run's row
 * with BIGINT values as JSON numbers (counts stay far below 2^53) except the two timestamps, which
 * are decimal strings (ns since the epoch exceed 2^53).
 */

export const RUN_COLUMNS = [
  ["image", "VARCHAR"],
  ["run", "VARCHAR"],
  ["source", "VARCHAR"],
  ["format", "VARCHAR"],
  ["files", "BIGINT"],
  ["bytes", "BIGINT"],
  ["lines_read", "BIGINT"],
  ["events", "BIGINT"],
  ["event_lines", "BIGINT"],
  ["rejected", "BIGINT"],
  ["skipped", "BIGINT"],
  ["skipped_by_kind", "VARCHAR"],
  ["unfinished_never_resumed", "BIGINT"],
  ["labels", "VARCHAR"],
  ["file_hashes", "VARCHAR"],
  ["phase_rule", "VARCHAR"],
  ["spliced_calls", "BIGINT"],
  ["unnamed_calls", "BIGINT"],
  ["ts_first_ns", "BIGINT"],
  ["ts_last_ns", "BIGINT"],
  ["tasks", "BIGINT"],
  ["syscalls", "BIGINT"],
] as const;

export type RunColumn = (typeof RUN_COLUMNS)[number][0];

/** A `runs` row as a commit record holds it (see the module comment for the number encoding). */
export type RunRow = Record<RunColumn, string | number | null>;
