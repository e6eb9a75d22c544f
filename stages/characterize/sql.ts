/**
 * SQL text for the characterize and coverage stages (pure: strings in, SQL out). Every literal
 * goes through `quoteString`; the caller runs the statements through pipeline/duckdb.ts.
 *
 * The plan: one scan of the events groups them into a small `sig` table (one row per distinct
 * image, run, comm, phase, syscall and characterized argument values, with its count and first
 * time); every summary is then a query over `sig`, which is orders of magnitude smaller.
 */
import { quoteString } from "../sql/quote.ts";
import type { ArgModel, ArgSource } from "./arg-models.ts";

/** `read_parquet` over a dataset's events, hive-partitioned (image, run from the path, as text: an image named 7 is not the number 7). */
export function eventsSource(datasetDir: string): string {
  return `read_parquet(${quoteString(`${datasetDir}/events/*/*/*.parquet`)}, hive_partitioning = true, hive_types_autocast = false)`;
}

/**
 * What the first decorated descriptor is, from its `-y` decoration (prefix tests only: this runs
 * once per raw signature group, and regular expressions here cost more than the rest).
 */
export const FD_KIND_SQL = `CASE
    WHEN fd_path IS NULL THEN NULL
    WHEN starts_with(fd_path, '/dev/') THEN 'device'
    WHEN starts_with(fd_path, '/') THEN 'path'
    WHEN starts_with(fd_path, 'pipe:') THEN 'pipe'
    WHEN starts_with(fd_path, 'anon_inode:') THEN split_part(fd_path, ' ', 1)
    WHEN starts_with(fd_path, 'socket:') THEN 'socket'
    WHEN contains(fd_path, ':[') THEN 'socket:' || split_part(fd_path, ':', 1)
    ELSE 'other' END`;

/**
 * A table of `rows` (objects with the keys of `types`, in that order, their DuckDB types as the
 * values) as SQL: one JSON string literal unnested. A VALUES list of the same rows costs DuckDB's
 * parser and binder 4-5× more (≈50 ms for the 800 argument models, measured; the analysis
 * baseline's whole query takes 250 ms of CPU).
 */
function jsonTable(rows: readonly object[], types: Readonly<Record<string, string>>): string {
  return `(SELECT unnest(from_json(${quoteString(JSON.stringify(rows))}, ${quoteString(JSON.stringify([types]))}), recursive := true))`;
}

/** The raw columns the events are first grouped on (besides image and run). */
export const RAW_GROUP_KEYS = [
  "comm",
  "phase",
  "syscall",
  "arg0",
  "arg1",
  "arg2",
  "arg3",
  "arg4",
  "arg5",
  "path",
  "path2",
  "fd_path",
  "sa_family",
] as const;

/** The raw signature groups' columns besides the keys: count, first and last event time. */
const RAW_GROUP_AGGS = "count(*) AS calls, min(ts_ns) AS first_ns, max(ts_ns) AS last_ns";

/**
 * The raw signature groups of one run's events files (`files`): its events grouped on their raw
 * columns (RAW_GROUP_KEYS), with calls, first_ns and last_ns, in key order (so the file ingest
 * writes from it has the same bytes for the same events). No image or run columns: the run's
 * folder gives them, as it does for its events.
 */
export function runGroupsSelect(files: readonly string[]): string {
  const list = `[${files.map((f) => quoteString(f)).join(", ")}]`;
  return `SELECT ${RAW_GROUP_KEYS.join(", ")}, ${RAW_GROUP_AGGS}
FROM read_parquet(${list}, hive_partitioning = false)
GROUP BY ALL ORDER BY ALL`;
}

/** The raw signature groups of a whole dataset (every image, or `image`), from its events. */
export function rawGroupsSelect(source: string, image?: string): string {
  const filter = image === undefined ? "" : `\n  WHERE image = ${quoteString(image)}`;
  return `SELECT image, run, ${RAW_GROUP_KEYS.join(", ")}, ${RAW_GROUP_AGGS}
  FROM ${source}${filter}
  GROUP BY ALL`;
}

/**
 * The raw signature groups of a dataset read from the per-run files ingest wrote beside the events
 * (`files`, one per run): image and run from each file's folder, as `eventsSource` gives them.
 */
export function storedGroupsSelect(files: readonly string[], image?: string): string {
  const list = `[${files.map((f) => quoteString(f)).join(", ")}]`;
  const filter = image === undefined ? "" : `\n  WHERE image = ${quoteString(image)}`;
  return `SELECT image, run, ${RAW_GROUP_KEYS.join(", ")}, calls, first_ns, last_ns
  FROM read_parquet(${list}, hive_partitioning = true, hive_types_autocast = false)${filter}`;
}

/**
 * The `sig` rows: events grouped by image, run, comm, phase, syscall and the values of the
 * characterized arguments (others nulled, so pointers and untracked numbers do not split groups),
 * numbered by `sid`. Which columns a syscall keeps comes from a small `keep` table joined on the
 * syscall name. `image` restricts to one image.
 *
 * Two steps: the events are first grouped on their raw columns (no join, no CASE, no string work
 * per event), and only those groups go through the keep join, the nulling and the descriptor
 * kind, then are grouped again. Raw groups are few — 2.4× the sig rows on the bundled captures
 * (45.6k for 182k events), since pointers are not stored as values — and the per-event work is
 * then only hashing: 3× faster than nulling each event first (10M events, measured).
 */
export function signatureSelect(source: string, models: readonly ArgModel[], image?: string): string {
  return signatureFromGroups(rawGroupsSelect(source, image), models);
}

/**
 * The `sig` rows (see `signatureSelect`) from raw signature groups (`groups`: a query with image,
 * run, RAW_GROUP_KEYS, calls, first_ns, last_ns — `rawGroupsSelect` or `storedGroupsSelect`),
 * their `sid` numbered from `sidBase` (parts of `sig` built apart keep their ids apart).
 */
export function signatureFromGroups(groups: string, models: readonly ArgModel[], sidBase = 0): string {
  const keepTable = keepTableOf(models);
  const scalar = [0, 1, 2, 3, 4, 5].map((p) => `CASE WHEN k.k_a${p} THEN e.arg${p} END AS a${p}`);
  const sid = sidBase === 0 ? "row_number() OVER () - 1" : `row_number() OVER () - 1 + ${sidBase}`;
  return `SELECT (${sid})::BIGINT AS sid, * FROM (
SELECT e.image, e.run, coalesce(e.comm, '') AS comm, coalesce(e.phase, 'unknown') AS phase, e.syscall,
  ${scalar.join(",\n  ")},
  CASE WHEN k.k_path THEN e.path END AS path,
  CASE WHEN k.k_path2 THEN e.path2 END AS path2,
  CASE WHEN k.k_fd_kind THEN ${FD_KIND_SQL.replaceAll("fd_path", "e.fd_path")} END AS fd_kind,
  CASE WHEN k.k_sa_family THEN e.sa_family END AS sa_family,
  sum(e.calls)::BIGINT AS calls, min(e.first_ns) AS first_ns, max(e.last_ns) AS last_ns
FROM (
  ${groups}
) e LEFT JOIN ${keepTable} ON k.syscall = e.syscall
GROUP BY ALL)`;
}

const SOURCES: readonly ArgSource[] = [
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "path",
  "path2",
  "fd_kind",
  "sa_family",
];
const keepTables = new WeakMap<readonly ArgModel[], string>();

/**
 * Which raw columns each syscall keeps (a `jsonTable` aliased `k`), once per models array: 400
 * syscalls × 800 models cost 10-30 ms to tabulate, and each analysis command asks for it.
 */
function keepTableOf(models: readonly ArgModel[]): string {
  const known = keepTables.get(models);
  if (known !== undefined) return known;
  const has = new Map<string, Set<ArgSource>>();
  for (const m of models) {
    const s = has.get(m.syscall) ?? new Set<ArgSource>();
    s.add(m.source);
    has.set(m.syscall, s);
  }
  const keep = [...has.keys()]
    .sort()
    .map(
      (sc) =>
        Object.fromEntries([
          ["syscall", sc],
          ...SOURCES.map((src) => [`k_${src}`, has.get(sc)!.has(src)]),
        ]) as object,
    );
  const table = keep.length
    ? `${jsonTable(keep, Object.fromEntries([["syscall", "VARCHAR"], ...SOURCES.map((src) => [`k_${src}`, "BOOLEAN"])]))} AS k`
    : `(SELECT NULL::VARCHAR AS syscall, ${SOURCES.map((src) => `false AS k_${src}`).join(", ")}) AS k`;
  keepTables.set(models, table);
  return table;
}

/** The `sig` table (see `signatureSelect`) as a temp table. */
export function signatureSql(source: string, models: readonly ArgModel[], image?: string): string {
  return `CREATE OR REPLACE TEMP TABLE sig AS\n${signatureSelect(source, models, image)}`;
}

/**
 * The argument models as a table (`jsonTable`)
 * `models(syscall, pos, name, kind, role, model, source, candidate, unit, paper)`: a TEMP one, or
 * (`temp` false) one every connection to the database sees.
 */
export function modelsTableSql(models: readonly ArgModel[], temp = true): string {
  const create = `CREATE OR REPLACE ${temp ? "TEMP " : ""}TABLE models AS`;
  if (models.length === 0) {
    return `${create}
SELECT * FROM (VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL))
  AS t(syscall, pos, name, kind, role, model, source, candidate, unit, paper)
WHERE syscall IS NOT NULL`;
  }
  const rows = models.map((m) => ({
    syscall: m.syscall,
    pos: m.pos,
    name: m.name,
    kind: m.kind,
    role: m.role,
    model: m.model,
    source: m.source,
    candidate: m.candidate,
    unit: m.unit,
    paper: m.paper,
  }));
  const types = {
    syscall: "VARCHAR",
    pos: "INTEGER",
    name: "VARCHAR",
    kind: "VARCHAR",
    role: "VARCHAR",
    model: "VARCHAR",
    source: "VARCHAR",
    candidate: "BOOLEAN",
    unit: "BOOLEAN",
    paper: "BOOLEAN",
  };
  return `${create} SELECT * FROM ${jsonTable(rows, types)}`;
}

/** Path generalization for units: numeric and long hex components become `#`, then the directory. */
export const PATH_DIR_SQL = `regexp_extract(
    regexp_replace(regexp_replace(value, '/[0-9]+(/|$)', '/#\\1', 'g'), '[0-9a-f]{32,}', '#', 'g'),
    '^(.*/)', 1)`;

/**
 * The `argv` rows: one per `sig` row and characterized argument with a value:
 * sid (the sig row), image, run, comm, phase, syscall, pos, name, kind, role, model, candidate, unit,
 * paper, value (text), num (BIGINT or NULL), calls, first_ns. Needs the `models` table; `sig` is a
 * table or view.
 */
export function argValuesSelect(sig = "sig"): string {
  return `SELECT v.sid, v.image, v.run, v.comm, v.phase, v.syscall, m.pos, m.name, m.kind, m.role, m.model,
  m.candidate, m.unit, m.paper,
  ${argValueSql("m.model", "v.num", "v.value")} AS value,
  v.num, v.calls, v.first_ns
FROM (
  ${argSourcesSelect(sig, "sid, image, run, comm, phase, syscall", "calls, first_ns")}
) v JOIN models m ON m.syscall = v.syscall AND m.source = v.source`;
}

/** An argument's value as the summaries see it: descriptors of `dirfd` models as AT_FDCWD or fd. */
const argValueSql = (model: string, num: string, value: string): string =>
  `CASE WHEN ${model} = 'dirfd' AND ${num} = -100 THEN 'AT_FDCWD'
       WHEN ${model} = 'dirfd' THEN 'fd' ELSE ${value} END`;

/**
 * The `sig` rows unpivoted: one row per row of `sig` and characterized column with a value, with
 * `keys` and `rest` of the row, `source` (the column), `value` (text) and `num` (BIGINT or NULL).
 */
function argSourcesSelect(sig: string, keys: string, rest: string): string {
  return SOURCES.map(
    (src) =>
      `SELECT ${keys}, ${quoteString(src)} AS source, CAST(${src} AS VARCHAR) AS value,
    ${src.startsWith("a") || src === "sa_family" ? `CAST(${src} AS BIGINT)` : "NULL::BIGINT"} AS num, ${rest}
  FROM ${sig} WHERE ${src} IS NOT NULL`,
  ).join("\n  UNION ALL\n  ");
}

/** The `argv` table (see `argValuesSelect`) as a temp table. */
export function argValuesSql(): string {
  return `CREATE OR REPLACE TEMP TABLE argv AS\n${argValuesSelect()}`;
}

/** Per image and syscall: calls, share, runs, first and last run, phases, processes. */
export const SYSCALLS_SQL = `SELECT image, syscall, sum(calls)::BIGINT AS calls,
  sum(calls) / sum(sum(calls)) OVER (PARTITION BY image) AS share,
  count(DISTINCT run)::INTEGER AS runs, min(run) AS first_run, max(run) AS last_run,
  string_agg(DISTINCT phase, ',' ORDER BY phase) AS phases,
  string_agg(DISTINCT comm, ',' ORDER BY comm) AS processes
FROM sig GROUP BY image, syscall ORDER BY image, calls DESC, syscall`;

/** Per image, per run / process (comm) / phase / run×process×phase: syscalls with calls and share within the group. */
export const SYSCALLS_BY_SQL = `WITH g AS (
  SELECT image, 'run' AS dim, run AS key, syscall, sum(calls) AS calls FROM sig GROUP BY ALL
  UNION ALL SELECT image, 'process', comm, syscall, sum(calls) FROM sig GROUP BY ALL
  UNION ALL SELECT image, 'phase', phase, syscall, sum(calls) FROM sig GROUP BY ALL
  UNION ALL SELECT image, 'run/process/phase', run || '/' || comm || '/' || phase, syscall, sum(calls)
    FROM sig GROUP BY ALL)
SELECT image, dim, key, syscall, calls::BIGINT AS calls,
  calls / sum(calls) OVER (PARTITION BY image, dim, key) AS share
FROM g ORDER BY image, dim, key, calls DESC, syscall`;

/**
 * Per image, syscall and argument: its role and model, whether it is a rule candidate (magnitudes
 * and file modes are not), calls, distinct values, the 32 most frequent values with their calls,
 * the union of flag masks, and for paths the distinct directories. Reads `sig` and `models`: the
 * unpivoted values are summed per image, syscall, column and value before the models join (on a
 * few thousand rows, not on every `argv` row: ≈ 20 % less CPU on the analyze bench, the same rows).
 */
export const ARGS_SQL = `WITH g AS (
  SELECT image, syscall, source, value, num, sum(calls) AS calls FROM (
  ${argSourcesSelect("sig", "image, syscall", "calls")}
  ) GROUP BY ALL),
v AS (
  SELECT g.image, g.syscall, m.pos, m.name, m.kind, m.role, m.model, m.candidate,
    ${argValueSql("m.model", "g.num", "g.value")} AS value, any_value(g.num) AS num, sum(g.calls) AS calls
  FROM g JOIN models m ON m.syscall = g.syscall AND m.source = g.source GROUP BY ALL),
d AS (
  SELECT image, syscall, pos, count(DISTINCT regexp_extract(value, '^(.*/)', 1)) AS dirs
  FROM v WHERE model = 'path' GROUP BY ALL)
SELECT v.image, v.syscall, v.pos, v.name, v.kind, v.role, v.model, v.candidate, sum(v.calls)::BIGINT AS calls,
  count(*)::INTEGER AS distinct_values,
  list({'value': v.value, 'calls': v.calls::BIGINT} ORDER BY v.calls DESC, v.value)[1:32] AS top_values,
  CASE WHEN v.model = 'flags' THEN bit_or(v.num) END AS mask_union,
  coalesce(d.dirs, 0)::INTEGER AS directories
FROM v LEFT JOIN d USING (image, syscall, pos)
GROUP BY v.image, v.syscall, v.pos, v.name, v.kind, v.role, v.model, v.candidate, d.dirs
ORDER BY v.image, v.syscall, v.pos`;

/**
 * Per image and syscall, the number of distinct tuples of the paper's discrete argument models
 * (the number of Docker JSON rules its non-string models give), and whether it has a path model.
 * A tuple is its values in position order: a list of (pos, value) sorted, then the values — half
 * the CPU of an ordered aggregate (`list(value ORDER BY pos)`), and the same lists, since no two of
 * a syscall's paper models share a position. Grouped by `sid` alone (a sig row: its image, run and
 * syscall are one each), not by its image, run and syscall strings too (≈15 % less CPU).
 */
export const PAPER_TUPLES_SQL = `SELECT image, syscall,
  count(DISTINCT tuple)::INTEGER AS tuples, bool_or(has_path) AS has_path
FROM (
  SELECT any_value(image) AS image, any_value(syscall) AS syscall,
    list_transform(list_sort(list({'p': pos, 'v': value}) FILTER (WHERE model <> 'path')), x -> x.v) AS tuple,
    bool_or(model = 'path') AS has_path
  FROM argv WHERE paper AND phase <> 'runtime'
  GROUP BY sid
) GROUP BY ALL ORDER BY ALL`;

/**
 * Coverage units per image and run (phases a profile governs: not `runtime`): the syscall type,
 * and for `level = 'arg'` also (syscall, argument, value) for unit arguments (paths as their
 * generalized directory). Columns: image, run, unit, calls, first_ns (absolute).
 */
export function unitsSql(level: "type" | "arg"): string {
  const types = `SELECT image, run, syscall AS unit, sum(calls) AS calls, min(first_ns) AS first_ns
  FROM sig WHERE phase <> 'runtime' GROUP BY ALL`;
  if (level === "type") return `${types}\nORDER BY image, run, unit`;
  return `SELECT image, run, unit, sum(calls)::BIGINT AS calls, min(first_ns) AS first_ns FROM (
  ${types}
  UNION ALL
  SELECT image, run, syscall || '(' || name || '=' || CASE WHEN model = 'path' THEN ${PATH_DIR_SQL} ELSE value END || ')',
    sum(calls), min(first_ns)
  FROM (SELECT image, run, syscall, name, model, value, sum(calls) AS calls, min(first_ns) AS first_ns
    FROM argv WHERE unit AND phase <> 'runtime' GROUP BY ALL)
  GROUP BY ALL
) GROUP BY ALL ORDER BY image, run, unit`;
}

/** First and last event time of each run (all phases). */
export const RUN_SPANS_SQL = `SELECT image, run, min(first_ns) AS start_ns, max(last_ns) AS end_ns
FROM sig GROUP BY ALL ORDER BY ALL`;

/**
 * `sig` summed over the argument values (`sig_calls`: image, run, comm, phase, syscall, calls,
 * first_ns, last_ns): a few thousand rows instead of 10^5, and all the summaries that ignore the
 * arguments need. The sums are integers, so summing in two steps gives the same numbers.
 */
export const SIG_CALLS_SQL = `SELECT image, run, comm, phase, syscall, sum(calls)::BIGINT AS calls,
  min(first_ns) AS first_ns, max(last_ns) AS last_ns
FROM sig GROUP BY ALL`;

/** A query over `sig` that reads only its calls and times, made to read `sig_calls` instead. */
const overCalls = (sql: string): string => sql.replace(/\bFROM sig\b/g, "FROM sig_calls");

/**
 * Every table characterize and coverage read, as queries over `sig_calls` and `argv` (both with an
 * `image` column, in a stable order): the analysis cache holds these, not `sig`/`argv`, so a warm
 * command reads a few thousand result rows instead of regrouping 10^5 signature rows per query,
 * and both commands share one build. Sums are cast to BIGINT (DuckDB's HUGEINT sums would not
 * survive the Parquet round trip as integers).
 */
export const DERIVED_TABLES = {
  a_syscalls: overCalls(SYSCALLS_SQL),
  a_syscalls_by: overCalls(SYSCALLS_BY_SQL),
  a_args: ARGS_SQL,
  a_governed: `SELECT image, syscall, sum(calls)::BIGINT AS calls FROM sig_calls WHERE phase <> 'runtime'
GROUP BY image, syscall ORDER BY image, syscall`,
  a_tuples: PAPER_TUPLES_SQL,
  a_totals: `SELECT image, count(DISTINCT run)::BIGINT AS runs, sum(calls)::BIGINT AS events
FROM sig_calls GROUP BY image ORDER BY image`,
  a_units_type: `SELECT image, run, unit, calls::BIGINT AS calls, first_ns FROM (${overCalls(unitsSql("type"))})`,
  a_units_arg: `SELECT image, run, unit, calls::BIGINT AS calls, first_ns FROM (${overCalls(unitsSql("arg"))})`,
  a_spans: `SELECT image, run, start_ns FROM (${overCalls(RUN_SPANS_SQL)})`,
} as const satisfies Readonly<Record<string, string>>;

/** The name of a derived table (a view of the prepared session). */
export type DerivedTable = keyof typeof DERIVED_TABLES;
