/**
 * `npm run bench`: times `sandmine ingest` on a large real capture against two references, in one run:
 *   - wc -l          the I/O floor (read every byte, count newlines);
 *   - duckdb-split   DuckDB splitting each line into raw fields (timestamp, syscall, args, return,
 *                    duration) with read_csv + regexp_extract and writing Parquet;
 *   - sandmine w1/w2 the real ingest with 1 and 2 worker threads, as child processes.
 * It then checks correctness (row counts, lines read, byte-identical output for 1 and 2 workers),
 * prints a table with the targets and writes out/bench/ingest.json.
 *
 * Exit status: 0 done (a missed target is reported, not failed) or skipped (capture or zstd missing,
 * outside CI); 1 a correctness check failed, a case failed, or the input is missing under CI.
 *
 * On a shared machine the seconds vary with the other work: the timed cases (duckdb-split, w1,
 * w2) run in turn for several rounds (SANDMINE_BENCH_ROUNDS=N, default 3: one round moved the
 * ratios by 20 %), each round's times are printed and the table shows each case's least wall time; CPU seconds (user + system, all
 * threads) are shown beside wall time.
 *
 * Memory against capture size: a slice of the capture's largest file (1/16 of the capture, cut at a
 * line end) is ingested with 2 workers as 1, 4 and 16 files (hard links under other task ids), so the
 * 16x case reads as many bytes as the whole capture; peak RSS must stay flat (SANDMINE_BENCH_SCALES,
 * default "1,4,16"; "0" skips it).
 *
 * Env: SANDMINE_BENCH_DIR=DIR uses an already unpacked capture (DIR, or DIR/redis-benchmark-run)
 * instead of unpacking the archive; SANDMINE_BENCH_ROUNDS=N; SANDMINE_BENCH_SCALES=LIST; CI=1 turns
 * "skipped" into a failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import type { IngestSummary } from "../../pipeline/ingest/ingest.ts";
import { listFiles } from "../../pipeline/ingest/inputs.ts";
import { REPO_ROOT, sharedDatasets } from "../util/datasets.ts";
import { startSummary, type BenchTarget } from "./summary.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ARCHIVE = join(
  sharedDatasets() ?? resolve(REPO_ROOT, "../shared/datasets"),
  "perf/redis-benchmark-ff.tar.zst",
);
const RUN_FOLDER = "redis-benchmark-run";
const RESULT_FILE = join(ROOT, "out", "bench", "ingest.json");
// GNU time reports the child's peak RSS (%M, KiB); Debian/Ubuntu: `apt-get install -y time`.
// Without it we fall back to the peakRssBytes that sandmine reports itself.
const GNU_TIME = "/usr/bin/time";

const TARGETS = {
  /** sandmine (2 workers, like DuckDB's default of all cores here) vs duckdb-split, wall time. */
  vsDuckdb: 3,
  /** sandmine 2 workers vs 1 worker, wall time. */
  workerSpeedup: 1.7,
  /** peak RSS of each sandmine run. */
  peakRssMb: 400,
  /** peak RSS of the largest scale over the smallest (flat: memory does not grow with the capture). */
  rssGrowth: 1.2,
};

/** One measured case; ratios are filled in once all cases ran. */
interface CaseResult {
  name: string;
  wallSeconds: number;
  lines: number;
  events: number | null;
  peakRssMb: number | null;
  /** where peakRssMb comes from. */
  rssSource: string;
  /** seconds the case reports for itself (sandmine's own timer), if any. */
  ownSeconds: number | null;
  /** user + system CPU seconds of all its threads, when measured. */
  cpuSeconds: number | null;
  /** 1-minute load average when the case started: other work on the machine skews the timings. */
  loadBefore?: number;
  vsDuckdb?: number;
  vsWc?: number;
  /** sandmine's steps, from its SANDMINE_TIMING lines. */
  steps?: Steps;
}

/**
 * Where a sandmine ingest's time went, from its SANDMINE_TIMING lines: each step's end in seconds
 * since the ingest started (`planned`, `scanned`, `parsed`, `staged`, `committed`, `views`), and
 * the parse tasks' time inside the workers, summed (reading and parsing; encoding and writing the
 * Parquet part). The steps after `parsed` run on the main thread alone: with the start they are
 * the serial part that bounds what a second worker can give.
 */
interface Steps {
  at: Record<string, number>;
  tasks: number;
  parseSeconds: number;
  writeSeconds: number;
}

function stepsOf(stderr: string): Steps {
  const at: Record<string, number> = {};
  let tasks = 0;
  let parseMs = 0;
  let writeMs = 0;
  for (const line of stderr.split("\n")) {
    const task = /read\+parse (\d+) ms, write (\d+) ms/.exec(line);
    if (task) {
      tasks++;
      parseMs += Number(task[1]);
      writeMs += Number(task[2]);
      continue;
    }
    const step = /^\[timing\] (\w+) ([\d.]+) s/.exec(line);
    if (step) at[step[1]!] = Number(step[2]);
  }
  return { at, tasks, parseSeconds: parseMs / 1000, writeSeconds: writeMs / 1000 };
}

/** One line of a sandmine case's steps (durations between the step ends). */
function stepsLine(name: string, x: Steps): string {
  const span = (a: string, b: string) =>
    x.at[a] !== undefined && x.at[b] !== undefined ? fmt(x.at[b]! - x.at[a]!) : "-";
  const scan = x.at.scanned !== undefined ? fmt(x.at.scanned) : "-";
  return (
    `  ${name}: start+scan ${scan} s, parse ${span("scanned", "parsed")} s (tasks in the workers: ` +
    `read+parse ${fmt(x.parseSeconds)} s, Parquet ${fmt(x.writeSeconds)} s over ${x.tasks}), ` +
    `staging ${span("parsed", "staged")} s, commit ${span("staged", "committed")} s, views ${span("committed", "views")} s`
  );
}

/** The JSON line of `sandmine ingest --json`. */
type IngestJson = Omit<IngestSummary, "runs"> & { runs: { image: string; run: string; files: number }[] };

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** A failure that makes the bench exit 1 (as opposed to a missed target). */
class BenchError extends Error {}

const MB = 1024 * 1024;

/** The child currently running, so a signal can stop it before the temp folder goes away. */
let current: ChildProcess | null = null;

interface RunResult {
  code: number;
  stdout: string;
  /** the command's stderr, when asked to capture it (else it goes to ours). */
  stderr: string;
  seconds: number;
  /** peak RSS of the command in MiB, when measured with GNU time. */
  peakRssMb: number | null;
  /** user + system CPU seconds of the command, when measured with GNU time. */
  cpuSeconds: number | null;
}

/**
 * Runs a command to completion; returns exit code, stdout and wall seconds. With `rssFile` the
 * command runs under GNU time, which writes its peak RSS there (its own cost is a few ms).
 */
function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; rssFile?: string; env?: NodeJS.ProcessEnv; captureStderr?: boolean } = {},
): Promise<RunResult> {
  const argv = opts.rssFile ? [GNU_TIME, "-f", "%M %U %S", "-o", opts.rssFile, cmd, ...args] : [cmd, ...args];
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["ignore", "pipe", opts.captureStderr ? "pipe" : "inherit"],
    });
    current = child;
    const chunks: Buffer[] = [];
    const errChunks: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => chunks.push(b));
    child.stderr?.on("data", (b: Buffer) => errChunks.push(b));
    child.on("error", (e) => {
      current = null;
      fail(e);
    });
    child.on("close", (code, signal) => {
      current = null;
      const seconds = (performance.now() - t0) / 1000;
      const stdout = Buffer.concat(chunks).toString("utf8");
      ok({
        code: code ?? (signal ? 128 : 1),
        stdout,
        stderr: Buffer.concat(errChunks).toString("utf8"),
        seconds,
        ...(opts.rssFile ? readTime(opts.rssFile) : { peakRssMb: null, cpuSeconds: null }),
      });
    });
  });
}

/**
 * GNU time's `%M %U %S` (KiB, seconds) is the last line ("Command exited…" may come first); nulls
 * if unreadable.
 */
function readTime(file: string): { peakRssMb: number | null; cpuSeconds: number | null } {
  try {
    const [kb, user, sys] = (readFileSync(file, "utf8").trim().split("\n").pop() ?? "")
      .split(" ")
      .map(Number);
    const cpu = user! + sys!;
    return {
      peakRssMb: Number.isFinite(kb) && kb! > 0 ? kb! / 1024 : null,
      cpuSeconds: Number.isFinite(cpu) ? cpu : null,
    };
  } catch {
    return { peakRssMb: null, cpuSeconds: null };
  }
}

function hasCommand(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return r.error === undefined && r.status === 0;
}

/** Streams a file through sha256 (the outputs can be large; no need to hold them in memory). */
function sha256(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (b) => h.update(b))
      .on("end", () => ok(h.digest("hex")))
      .on("error", fail);
  });
}

/** Prints why the bench cannot run; fails under CI (the capture must be there), else skips. */
function skip(reason: string): never {
  if (process.env.CI) {
    process.stderr.write(`bench: error: ${reason} (CI is set, so this is a failure)\n`);
    process.exit(1);
  }
  process.stdout.write(`skipped: ${reason}\n`);
  process.exit(0);
}

/** Finds the capture folder: the given one, or the run folder inside it. */
function captureFolder(dir: string): string {
  const inner = join(dir, RUN_FOLDER);
  return existsSync(inner) && statSync(inner).isDirectory() ? inner : dir;
}

/** 2. I/O floor. */
async function benchWc(files: string[], rssFile: string | undefined): Promise<CaseResult> {
  const r = await run("wc", ["-l", "--", ...files], { rssFile });
  if (r.code !== 0) throw new BenchError(`wc -l exited with ${r.code}`);
  // one "COUNT NAME" line per file (then a total line when there are several); sum the per-file ones
  const counts = r.stdout
    .trimEnd()
    .split("\n")
    .slice(0, files.length)
    .map((l) => Number(/^\s*(\d+)/.exec(l)?.[1] ?? NaN));
  if (counts.some((n) => !Number.isFinite(n))) throw new BenchError(`cannot read wc -l output:\n${r.stdout}`);
  const lines = counts.reduce((a, b) => a + b, 0);
  return {
    name: "wc -l",
    wallSeconds: r.seconds,
    lines,
    events: null,
    peakRssMb: r.peakRssMb,
    rssSource: r.peakRssMb === null ? "-" : "GNU time %M",
    ownSeconds: null,
    cpuSeconds: r.cpuSeconds,
  };
}

// One regular expression for the whole line, evaluated once per line (the struct form of
// regexp_extract), so the baseline is not slowed by matching five times. Lines that are not one
// complete call (unfinished/resumed, signals, exits) do not match and get empty fields: the
// baseline only splits, it does not interpret.
const SPLIT_RE = String.raw`^(\d{2}:\d{2}:\d{2}\.\d+) ([A-Za-z0-9_]+)\((.*)\)\s+= (.*?)(?: <(\d+\.\d+)>)?$`;

/** 3. DuckDB baseline, on DuckDB's default threads (all cores). */
async function benchDuckdb(files: string[], outFile: string): Promise<CaseResult> {
  // Each line is one VARCHAR: a delimiter byte that never occurs in strace output (it escapes
  // control characters), no quoting or escaping, no sniffing. max_line_size is raised far above the
  // longest line so no line is ever rejected; the row count is checked against wc -l anyway.
  const sql = `COPY (
    SELECT filename AS file, m.ts, m.name, m.args, m.ret, m.dur
    FROM (
      SELECT filename, regexp_extract(line, ${quoteString(SPLIT_RE)}, ['ts', 'name', 'args', 'ret', 'dur']) AS m
      FROM read_csv([${files.map(quoteString).join(", ")}],
        columns = {'line': 'VARCHAR'}, delim = ${quoteString("\u0001")}, quote = '', escape = '',
        header = false, auto_detect = false, filename = true, max_line_size = 16777216)
    )
  ) TO ${quoteString(outFile)} (FORMAT parquet)`;
  rmSync(outFile, { force: true });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const rows = await withDb(async (db) => (await db.query<{ Count: bigint }>(sql))[0]?.Count);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (rows === undefined) throw new BenchError("duckdb-split: COPY returned no row count");
  return {
    name: "duckdb-split",
    wallSeconds,
    lines: Number(rows),
    events: null,
    // DuckDB runs in this process; wc ran in a child, so this peak is essentially DuckDB's (plus Node)
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssSource: "bench process maxRSS",
    ownSeconds: null,
    // DuckDB's threads are this process's: its CPU time over the query
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** 4. One sandmine ingest as a child process (fresh process: no warm JIT or caches from other cases). */
async function benchSandmine(
  capture: string,
  outDir: string,
  workers: number,
  rssFile: string | undefined,
): Promise<{ result: CaseResult; json: IngestJson }> {
  // the same launcher as `npm run sandmine` (an esbuild bundle, built before the first case)
  rmSync(outDir, { recursive: true, force: true });
  const cli = ["pipeline/launch.mjs", "cli", "ingest", capture, "--out", outDir];
  cli.push("--image", "redis", "--run", "bench", "--workers", String(workers), "--json", "--quiet");
  // SANDMINE_TIMING: a line per step and per parse task on stderr (steps below), at no measurable cost
  const r = await run(process.execPath, cli, {
    cwd: ROOT,
    rssFile,
    env: { ...process.env, SANDMINE_TIMING: "1" },
    captureStderr: true,
  });
  if (r.code !== 0) {
    process.stderr.write(r.stderr);
    throw new BenchError(`sandmine --workers ${workers} exited with ${r.code}`);
  }
  const last = r.stdout.trim().split("\n").pop() ?? "";
  let json: IngestJson;
  try {
    json = JSON.parse(last) as IngestJson;
  } catch {
    throw new BenchError(`sandmine --workers ${workers}: no JSON summary on stdout:\n${r.stdout}`);
  }
  return {
    json,
    result: {
      name: `sandmine w${workers}`,
      wallSeconds: r.seconds,
      lines: json.lines,
      events: json.events,
      // maxRSS of the process covers the worker threads, which share it
      peakRssMb: r.peakRssMb ?? json.peakRssBytes / MB,
      rssSource: r.peakRssMb !== null ? "GNU time %M" : "sandmine peakRssBytes",
      ownSeconds: json.seconds,
      cpuSeconds: r.cpuSeconds,
      steps: stepsOf(r.stderr),
    },
  };
}

/** One ingest of the scale case: the slice repeated `copies` times. */
interface ScaleResult {
  copies: number;
  bytes: number;
  wallSeconds: number;
  cpuSeconds: number | null;
  peakRssMb: number | null;
  lines: number;
  events: number;
  rejected: number;
  skipped: number;
  loadBefore: number;
}

/**
 * Writes the first `size` bytes of `file` (cut after the last newline) to `dest`; returns its size.
 * Read in 8 MiB chunks: the slice is tens of MiB.
 */
function writeSlice(file: string, dest: string, size: number): number {
  const src = openSync(file, "r");
  const out = openSync(dest, "w");
  const chunk = Buffer.allocUnsafe(8 * MB);
  let pos = 0;
  try {
    while (pos < size) {
      const n = readSync(src, chunk, 0, Math.min(chunk.length, size - pos), pos);
      if (n === 0) break;
      const last = pos + n >= size ? chunk.subarray(0, n).lastIndexOf(10) + 1 : n;
      writeFileSync(out, chunk.subarray(0, last));
      pos += last;
      if (last < n) break;
    }
  } finally {
    closeSync(src);
    closeSync(out);
  }
  return pos;
}

/**
 * 6. Peak RSS against capture size: the slice as `copies` files of one `-ff` capture (hard links
 * named trace.<tid>, each a task of its own), 2 workers.
 */
async function benchScale(
  slice: string,
  copies: number,
  tmp: string,
  rssFile: string | undefined,
): Promise<ScaleResult> {
  const dir = join(tmp, `scale-${copies}`);
  mkdirSync(dir);
  for (let k = 0; k < copies; k++) linkSync(slice, join(dir, `trace.${100000 + k}`));
  const loadBefore = loadavg()[0]!;
  const { result, json } = await benchSandmine(dir, join(tmp, `out-scale-${copies}`), 2, rssFile);
  rmSync(join(tmp, `out-scale-${copies}`), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  return {
    copies,
    bytes: statSync(slice).size * copies,
    wallSeconds: result.wallSeconds,
    cpuSeconds: result.cpuSeconds,
    peakRssMb: result.peakRssMb,
    lines: json.lines,
    events: json.events,
    rejected: json.rejected,
    skipped: json.skipped,
    loadBefore,
  };
}

/** 5. The Parquet files of two datasets, compared by relative path and content. */
async function compareOutputs(a: string, b: string): Promise<Check> {
  const parquet = (dir: string) =>
    listFiles(dir)
      .filter((f) => f.endsWith(".parquet"))
      .map((f) => relative(dir, f));
  const fa = parquet(a);
  const fb = parquet(b);
  const wanted = ["runs.parquet", "rejects.parquet"];
  const missing = wanted.filter((f) => !fa.includes(f) || !fb.includes(f));
  const parts = fa.filter((f) => f.startsWith(join("events", "image=redis", "run=bench") + "/"));
  if (missing.length > 0 || parts.length === 0) {
    return {
      name: "determinism (w1 vs w2 Parquet)",
      ok: false,
      detail: `missing: ${[...missing, ...(parts.length ? [] : ["events parts"])].join(", ")}`,
    };
  }
  if (fa.join("\n") !== fb.join("\n")) {
    return {
      name: "determinism (w1 vs w2 Parquet)",
      ok: false,
      detail: `file lists differ (${fa.length} vs ${fb.length} files)`,
    };
  }
  const differ: string[] = [];
  for (const f of fa) {
    if ((await sha256(join(a, f))) !== (await sha256(join(b, f)))) differ.push(f);
  }
  return {
    name: "determinism (w1 vs w2 Parquet)",
    ok: differ.length === 0,
    detail: differ.length === 0 ? `${fa.length} files byte-identical` : `differ: ${differ.join(", ")}`,
  };
}

const fmt = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined ? "-" : n.toFixed(digits);
const rate = (n: number, s: number) => {
  const r = n / s;
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${(r / 1e3).toFixed(1)} k/s`;
};

function printTable(cases: CaseResult[]): void {
  const head = [
    "case",
    "wall s",
    "own s",
    "CPU s",
    "lines/s",
    "events/s",
    "vs duckdb",
    "vs wc -l",
    "peak RSS MB",
    "load",
  ];
  const rows = cases.map((c) => [
    c.name,
    fmt(c.wallSeconds),
    fmt(c.ownSeconds),
    fmt(c.cpuSeconds),
    rate(c.lines, c.wallSeconds),
    c.events === null ? "-" : rate(c.events, c.wallSeconds),
    `${fmt(c.vsDuckdb)}×`,
    `${fmt(c.vsWc)}×`,
    c.peakRssMb === null ? "-" : `${c.peakRssMb.toFixed(0)} (${c.rssSource})`,
    fmt(c.loadBefore),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  process.stdout.write(
    ["", line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), ""].join("\n"),
  );
}

/** The README's row of each target (scripts/bench-readme.ts): what it measures, against what. */
const README_ROWS: [RegExp, string, string, string][] = [
  [
    /duckdb/,
    "strace ingest, 4.07 M lines, 2 workers (wall)",
    "DuckDB read_csv + regexp_extract → Parquet",
    "≥ 3× (stretch 6×)",
  ],
  [/one worker/, "worker scaling (wall)", "sandmine, 1 worker", "≥ 1.7×"],
  [/peak RSS </, "strace ingest peak RSS, 1 and 2 workers", "—", "≤ 400 MB"],
  [/flat/, "peak RSS at 16× the capture size", "the same at 1×", "≤ 1.2×"],
];

function readmeTarget(t: { name: string; value: string; pass: boolean }): BenchTarget {
  const row = README_ROWS.find(([re]) => re.test(t.name));
  return {
    path: row?.[1] ?? t.name,
    baseline: row?.[2] ?? "—",
    measured: t.value,
    target: row?.[3] ?? t.name,
    met: t.pass,
  };
}

let summary: (targets: BenchTarget[]) => string = () => "";
/** the timed cases' rounds (SANDMINE_BENCH_ROUNDS, default 3) */
const ROUNDS = Math.max(1, Number(process.env.SANDMINE_BENCH_ROUNDS ?? 3) || 3);

async function main(): Promise<number> {
  summary = startSummary(
    "ingest",
    `${process.env.SANDMINE_BENCH_DIR ? "SANDMINE_BENCH_DIR=… " : ""}SANDMINE_BENCH_ROUNDS=${ROUNDS} npx tsx test/bench/ingest-bench.ts`,
  );
  const given = process.env.SANDMINE_BENCH_DIR;
  if (given !== undefined && !(existsSync(given) && statSync(given).isDirectory())) {
    // asked for explicitly, so a wrong path is an error, not a skip
    process.stderr.write(`bench: SANDMINE_BENCH_DIR=${given} is not a folder\n`);
    return 1;
  }
  if (given === undefined) {
    if (!existsSync(ARCHIVE)) skip(`capture ${ARCHIVE} is missing`);
    if (!hasCommand("zstd", ["--version"])) skip("zstd is not installed (needed to unpack the capture)");
  }
  const gnuTime = hasCommand(GNU_TIME, ["-f", "%M", "-o", "/dev/null", "true"]);

  const tmp = mkdtempSync(join(tmpdir(), "sandmine-bench-"));
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  const onSignal = (sig: NodeJS.Signals) => {
    current?.kill(sig);
    cleanup();
    process.exit(128 + (sig === "SIGINT" ? 2 : 15));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    // 1. input
    let root = given === undefined ? "" : resolve(given);
    if (given === undefined) {
      root = join(tmp, "capture");
      mkdirSync(root);
      process.stderr.write(`unpacking ${ARCHIVE} ...\n`);
      const r = await run("sh", ["-c", `zstd -dc "$0" | tar -x -C "$1"`, ARCHIVE, root]);
      if (r.code !== 0) throw new BenchError(`unpacking failed (exit ${r.code})`);
    }
    const capture = captureFolder(root);
    const files = listFiles(capture);
    if (files.length === 0) throw new BenchError(`${capture}: no capture files`);
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    process.stderr.write(`input: ${capture}: ${files.length} files, ${(bytes / MB).toFixed(0)} MiB\n`);

    // Cases run one after another, never concurrently. wc -l goes first and reads every byte, so
    // every case sees the same warm page cache.
    const loads: number[] = [];
    const startCase = (name: string) => {
      loads.push(loadavg()[0]!);
      process.stderr.write(`case: ${name}\n`);
    };
    // build the CLI bundle now, so that no timed case pays for it
    await run(process.execPath, ["pipeline/launch.mjs", "cli", "--help"], { cwd: ROOT, rssFile: undefined });
    const rss = (name: string) => (gnuTime ? join(tmp, `rss-${name}.txt`) : undefined);
    startCase("wc -l");
    const wc = await benchWc(files, rss("wc"));
    wc.loadBefore = loads.pop();
    // duckdb-split, w1 and w2 in turn, ROUNDS times; each case keeps its least wall time
    type Sandmine = Awaited<ReturnType<typeof benchSandmine>>;
    let duck: CaseResult | null = null;
    let w1: Sandmine | null = null;
    let w2: Sandmine | null = null;
    const least = <T extends CaseResult>(best: T | null, r: T): T =>
      best && best.wallSeconds <= r.wallSeconds ? best : r;
    const roundLines: string[] = [];
    const peaks: { w1: number | null; w2: number | null } = { w1: null, w2: null };
    const higher = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
    for (let k = 1; k <= ROUNDS; k++) {
      startCase(`duckdb-split (round ${k}/${ROUNDS})`);
      const d = await benchDuckdb(files, join(tmp, "duckdb-split.parquet"));
      d.loadBefore = loads.pop();
      startCase(`sandmine --workers 1 (round ${k}/${ROUNDS})`);
      const a = await benchSandmine(capture, join(tmp, "out-w1"), 1, rss("w1"));
      a.result.loadBefore = loads.pop();
      startCase(`sandmine --workers 2 (round ${k}/${ROUNDS})`);
      const b = await benchSandmine(capture, join(tmp, "out-w2"), 2, rss("w2"));
      b.result.loadBefore = loads.pop();
      roundLines.push(
        `  round ${k}: duckdb ${fmt(d.wallSeconds)} s (load ${fmt(d.loadBefore)}), w1 ${fmt(a.result.wallSeconds)} s (${fmt(a.result.loadBefore)}), ` +
          `w2 ${fmt(b.result.wallSeconds)} s (${fmt(b.result.loadBefore)}): w2 ${fmt(d.wallSeconds / b.result.wallSeconds)}× duckdb, ` +
          `w2 ${fmt(a.result.wallSeconds / b.result.wallSeconds)}× w1`,
      );
      peaks.w1 = higher(peaks.w1, a.result.peakRssMb);
      peaks.w2 = higher(peaks.w2, b.result.peakRssMb);
      duck = least(duck, d);
      if (!w1 || a.result.wallSeconds < w1.result.wallSeconds) w1 = a;
      if (!w2 || b.result.wallSeconds < w2.result.wallSeconds) w2 = b;
    }
    if (!duck || !w1 || !w2) throw new BenchError("no round ran");
    // RSS is a limit, not a speed: the largest peak of any round counts
    if (peaks.w1 !== null) w1.result.peakRssMb = peaks.w1;
    if (peaks.w2 !== null) w2.result.peakRssMb = peaks.w2;

    // 6. memory against capture size (after the timed rounds, so it cannot disturb them)
    const scaleList = (process.env.SANDMINE_BENCH_SCALES ?? "1,4,16")
      .split(",")
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
    const scales: ScaleResult[] = [];
    if (scaleList.length > 0) {
      const biggest = files.reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a));
      const slice = join(tmp, "slice.strace");
      const sliceBytes = writeSlice(biggest, slice, Math.ceil(bytes / Math.max(...scaleList)));
      for (const copies of scaleList) {
        process.stderr.write(
          `case: scale ${copies}× (${((sliceBytes * copies) / MB).toFixed(0)} MiB, 2 workers)\n`,
        );
        scales.push(await benchScale(slice, copies, tmp, rss(`scale-${copies}`)));
      }
    }

    const cases = [wc, duck, w1.result, w2.result];
    for (const c of cases) {
      c.vsDuckdb = duck.wallSeconds / c.wallSeconds;
      c.vsWc = wc.wallSeconds / c.wallSeconds;
    }
    const speedup = w1.result.wallSeconds / w2.result.wallSeconds;

    const checks: Check[] = [
      { name: "duckdb rows = wc -l", ok: duck.lines === wc.lines, detail: `${duck.lines} vs ${wc.lines}` },
      ...[w1, w2].map((w) => ({
        name: `${w.result.name} lines read = wc -l`,
        ok: w.json.lines === wc.lines,
        detail: `${w.json.lines} vs ${wc.lines}`,
      })),
      ...[w1, w2].map((w) => ({
        name: `${w.result.name} files = ${files.length}`,
        ok: w.json.files === files.length,
        detail: `${w.json.files}`,
      })),
      {
        name: "w1 and w2 counts equal",
        ok: (["events", "rejected", "skipped"] as const).every((k) => w1.json[k] === w2.json[k]),
        detail: `events ${w1.json.events}/${w2.json.events} rejected ${w1.json.rejected}/${w2.json.rejected} skipped ${w1.json.skipped}/${w2.json.skipped}`,
      },
      await compareOutputs(join(tmp, "out-w1"), join(tmp, "out-w2")),
      // every line of every copy read, and the same counts per copy
      ...scales.map((x) => ({
        name: `scale ${x.copies}× counts = ${x.copies} × scale ${scales[0]!.copies}× per copy`,
        ok: (["lines", "events", "rejected", "skipped"] as const).every(
          (k) => x[k] * scales[0]!.copies === scales[0]![k] * x.copies,
        ),
        detail: `lines ${x.lines}, events ${x.events}, rejected ${x.rejected}, skipped ${x.skipped}`,
      })),
    ];

    const rssMax = Math.max(w1.result.peakRssMb ?? Infinity, w2.result.peakRssMb ?? Infinity);
    const targets = [
      {
        name: `sandmine w2 >= ${TARGETS.vsDuckdb}× faster than duckdb-split`,
        value: `${fmt(w2.result.vsDuckdb)}×`,
        pass: (w2.result.vsDuckdb ?? 0) >= TARGETS.vsDuckdb,
      },
      {
        name: `2 workers >= ${TARGETS.workerSpeedup}× one worker`,
        value: `${fmt(speedup)}×`,
        pass: speedup >= TARGETS.workerSpeedup,
      },
      {
        name: `peak RSS < ${TARGETS.peakRssMb} MB (max of w1, w2)`,
        value: `${rssMax.toFixed(0)} MB`,
        pass: rssMax < TARGETS.peakRssMb,
      },
    ];
    const rssOf = (x: ScaleResult | undefined) => x?.peakRssMb ?? null;
    const small = rssOf(scales[0]);
    const large = rssOf(scales[scales.length - 1]);
    if (scales.length > 1 && small !== null && large !== null) {
      targets.push({
        name: `peak RSS flat vs capture size (${scales[scales.length - 1]!.copies}× / ${scales[0]!.copies}× <= ${TARGETS.rssGrowth})`,
        value: `${fmt(large / small)}× (${small.toFixed(0)} -> ${large.toFixed(0)} MB)`,
        pass: large / small <= TARGETS.rssGrowth,
      });
    }

    printTable(cases);
    process.stdout.write(
      [
        `input: ${files.length} files, ${(bytes / MB).toFixed(0)} MiB, ${wc.lines} lines; ` +
          `sandmine: ${w2.json.events} events, ${w2.json.rejected} rejected, ${w2.json.skipped} skipped`,
        `speedup 2 vs 1 workers: ${fmt(speedup)}×  (wall; "own s" is sandmine's own timer, without process start)`,
        `rounds: ${ROUNDS} (duckdb-split, w1, w2 in turn; the table shows each case's least wall time)`,
        ...roundLines,
        `load: 1-minute load average at the start of each case (${cpus().length} cores; higher means other work competed)`,
        "steps of the runs in the table (SANDMINE_TIMING; staging, commit and views run on the main thread alone):",
        ...[w1.result, w2.result].flatMap((c) => (c.steps ? [stepsLine(c.name, c.steps)] : [])),
        ...(scales.length > 0
          ? [
              "memory against capture size (a 1/16 slice of the capture as N files, 2 workers):",
              ...scales.map(
                (x) =>
                  `  ${String(x.copies).padStart(2)}× ${(x.bytes / MB).toFixed(0).padStart(5)} MiB: peak RSS ${fmt(x.peakRssMb, 0)} MB, ` +
                  `${fmt(x.wallSeconds)} s wall, ${fmt(x.cpuSeconds)} s CPU, ${x.events} events (load ${fmt(x.loadBefore)})`,
              ),
            ]
          : []),
        "",
        "targets:",
        ...targets.map((t) => `  ${t.pass ? "PASS" : "MISS"}  ${t.name}: ${t.value}`),
        "checks:",
        ...checks.map((c) => `  ${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}`),
        "",
      ].join("\n"),
    );

    mkdirSync(dirname(RESULT_FILE), { recursive: true });
    const result = {
      date: new Date().toISOString(),
      host: { cpus: cpus().length, node: process.version, gnuTime },
      input: { path: given ? capture : ARCHIVE, files: files.length, bytes, lines: wc.lines },
      cases,
      sandmine: { w1: w1.json, w2: w2.json },
      speedup2vs1: speedup,
      rounds: roundLines,
      scales,
      targets,
      checks,
    };
    writeFileSync(RESULT_FILE, JSON.stringify(result, null, 2) + "\n");
    process.stdout.write(`results: ${relative(ROOT, RESULT_FILE)}\n`);
    summary(targets.map(readmeTarget));
    return checks.every((c) => c.ok) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof BenchError)) throw e;
    process.stderr.write(`bench: error: ${e.message}\n`);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
