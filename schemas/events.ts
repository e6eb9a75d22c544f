/**
 * The `events` table: one row per system call (entry and exit joined). Declared once, with explicit
 * Arrow types; `image` and `run` are not stored in the files but come from the hive partition path
 * (`events/image=…/run=…/part-….parquet`).
 */
import { Bool, Field, Int32, Int64, Schema, Utf8 } from "apache-arrow";

/** Bumped on any change of the dataset's tables; kept in the manifest and schema metadata. */
export const SCHEMA_VERSION = 1;

/** Number of decoded argument columns (`arg0` … `arg5`), the kernel's maximum. */
export const MAX_ARGS = 6;

/** The `syscall` of a call strace printed as `???` with no number (`-n`) to name it by. */
export const UNNAMED_SYSCALL = "syscall_unknown";

/** Phases of a container's life, in the order they happen. */
export const PHASES = ["runtime", "init", "workload", "unknown"] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Low-cardinality text columns: built with a dictionary in memory, Utf8 in Arrow, and written to
 * Parquet with a dictionary page and index runs straight from the builders' indices (readers see
 * the same VARCHAR either way). DICTIONARY_COLUMNS lists them.
 */
const dictColumns: string[] = [];
const dict = (name: string) => {
  dictColumns.push(name);
  return new Utf8();
};

/** Column name → Arrow type, in file order. */
export const EVENT_COLUMNS = {
  capture: dict("capture"), // capture file, relative to the ingested path
  format: dict("format"), // strace | sysdig-text | sysdig-json | scap
  seq: new Int64(), // strace: 1-based line number of the call's first line
  ts_ns: new Int64(), // entry timestamp in ns (epoch, time of day for -t/-tt, or cumulative for -r)
  pid: new Int32(), // thread group id
  tid: new Int32(), // task id
  comm: dict("comm"), // process name (basename of the executed file, or PR_SET_NAME), when known
  container_id: dict("container_id"),
  phase: dict("phase"), // runtime | init | workload | unknown
  syscall: dict("syscall"),
  nr: new Int32(), // syscall number for `arch`
  arch: dict("arch"), // x86_64 | i386 | aarch64
  args_raw: new Utf8(), // argument text exactly as printed
  arg0: new Int64(), // kernel value of each scalar argument, in kernel argument order
  arg1: new Int64(),
  arg2: new Int64(),
  arg3: new Int64(),
  arg4: new Int64(),
  arg5: new Int64(),
  path: new Utf8(), // first path argument
  path2: new Utf8(), // second path argument (rename, link, …)
  fd_path: new Utf8(), // -y decoration of the first fd argument (path, TCP:[…], pipe:[…], …)
  fd_deleted: new Bool(), // the decorated file was deleted
  sa_family: new Int32(), // socket family from a sockaddr argument
  unknown_syms: new Utf8(), // symbols the tables do not know, kept raw ("|"-separated), never guessed
  ret: new Int64(), // null for `?`
  ret_path: new Utf8(), // -y decoration of a returned fd
  errno: new Int32(), // positive errno (incl. kernel-internal ERESTART* codes)
  errno_name: dict("errno_name"),
  duration_ns: new Int64(), // -T, or exit minus entry when both are known
  unfinished: new Bool(), // the call never resumed (task killed, capture cut)
  resumed: new Bool(), // joined from <unfinished ...> and <... resumed> lines
} as const;

export type EventColumn = keyof typeof EVENT_COLUMNS;

/** The low-cardinality text columns (see `dict`). */
export const DICTIONARY_COLUMNS: ReadonlySet<EventColumn> = new Set(dictColumns as EventColumn[]);

/** Columns that may not be null. */
const NOT_NULL: ReadonlySet<EventColumn> = new Set([
  "capture",
  "format",
  "seq",
  "tid",
  "pid",
  "phase",
  "syscall",
  "arch",
  "args_raw",
  "unfinished",
  "resumed",
]);

/** The Arrow schema of event files. */
export const EVENTS_SCHEMA = new Schema(
  Object.entries(EVENT_COLUMNS).map(
    ([name, type]) => new Field(name, type, !NOT_NULL.has(name as EventColumn)),
  ),
  new Map([["sandmine.schema_version", String(SCHEMA_VERSION)]]),
);
