/**
 * `npm run demo`: the main job on the bundled captures in datasets/ (no Docker needed): ingest
 * every bundled run, characterize, coverage, synthesize, check, held-out runs and the report.
 * Each stage prints one summary table; the long tables (per syscall, per argument, every estimator
 * and left-out run) go to files in DATASET/tables/, whose paths are printed.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "./cli.ts";
import { quoteString, withDb } from "./duckdb.ts";
import { characterize } from "./analyze/characterize.ts";
import { coverage } from "./analyze/coverage.ts";
import { characterizeTable, coverageText, table } from "./analyze/text-tables.ts";
import { ingest } from "./ingest/ingest.ts";
import { capturesFromManifest } from "./ingest/inputs.ts";
import { checkWorkers } from "./pool.ts";
import { demoProfiles, heading, shown } from "./demo-profiles.ts";
import { LEVELS } from "../schemas/coverage.ts";

// run from the repository root (npm run demo); the bundle lives elsewhere, so not import.meta.url
const root = process.cwd();
const out = join(root, "out", "demo");
const tables = join(out, "tables");
const manifest = join(root, "datasets", "captures.yaml");

const w = (s: string): void => void process.stdout.write(s);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const f1 = (x: number): number => Math.round(x * 10) / 10;

/** Writes one of the long tables and returns its path as printed. */
function writeTable(name: string, text: string): string {
  mkdirSync(tables, { recursive: true });
  const file = join(tables, name);
  writeFileSync(file, text.endsWith("\n") ? text : text + "\n");
  return shown(file);
}

interface SyscallRow {
  image: string;
  syscall: string;
  calls: bigint;
  runs: bigint;
  phases: string;
}

interface RunRow {
  image: string;
  run: string;
  files: bigint;
  bytes: bigint;
  events: bigint;
  rejected: bigint;
  skipped: bigint;
  phase_rule: string;
}

/** Ingest: one row per image; per run and per syscall in files. */
async function ingestStage(): Promise<void> {
  w(heading(`ingest ${shown(manifest)} → ${shown(out)}`));
  const s = await ingest({
    captures: capturesFromManifest(manifest, "auto"),
    out,
    workers: checkWorkers(undefined),
    arch: "x86_64",
    replace: false,
    quiet: false,
  });
  const events = join(out, "events", "*", "*", "*.parquet");
  await withDb(async (db) => {
    const runs = await db.query<RunRow>(
      `SELECT image, run, files, bytes, events, rejected, skipped, phase_rule
       FROM read_parquet(${quoteString(join(out, "runs.parquet"))}) ORDER BY image, run`,
    );
    const syscalls = await db.query<SyscallRow>(
      `SELECT image, syscall, count(*) AS calls, count(DISTINCT run) AS runs,
              string_agg(DISTINCT phase, ',' ORDER BY phase) AS phases
       FROM read_parquet(${quoteString(events)}, hive_partitioning = true, hive_types_autocast = false)
       GROUP BY image, syscall ORDER BY image, calls DESC, syscall`,
    );
    const images = [...new Set(runs.map((r) => r.image))];
    const sum = (rs: RunRow[], f: (r: RunRow) => bigint): number => rs.reduce((n, r) => n + Number(f(r)), 0);
    w(
      table(
        ["image", "runs", "files", "MiB", "events", "rejected", "skipped", "syscall types"],
        images.map((image) => {
          const mine = runs.filter((r) => r.image === image);
          return [
            image,
            mine.length,
            sum(mine, (r) => r.files),
            f1(sum(mine, (r) => r.bytes) / 1048576),
            sum(mine, (r) => r.events),
            sum(mine, (r) => r.rejected),
            sum(mine, (r) => r.skipped),
            syscalls.filter((r) => r.image === image).length,
          ];
        }),
      ) + "\n",
    );
    w(
      `${s.runs.length} runs, ${s.files} files, ${(s.bytes / 1048576).toFixed(1)} MiB in ${s.seconds.toFixed(2)} s ` +
        `(${Math.round(s.eventsPerSecond)} events/s, peak RSS ${(s.peakRssBytes / 1048576).toFixed(0)} MiB)\n`,
    );
    const runsFile = writeTable(
      "runs.txt",
      table(
        ["image", "run", "files", "events", "rejected", "skipped", "phase rule"],
        runs.map((r) => [
          r.image,
          r.run,
          Number(r.files),
          Number(r.events),
          Number(r.rejected),
          Number(r.skipped),
          r.phase_rule,
        ]),
      ),
    );
    const perImage = images.map((image) => {
      const mine = syscalls.filter((r) => r.image === image);
      const n = runs.filter((r) => r.image === image).length;
      return (
        `== image ${image}: ${n} runs, ${mine.length} syscall types ==\n` +
        table(
          ["syscall", "calls", "runs", "phases"],
          mine.map((r) => [r.syscall, Number(r.calls), `${r.runs}/${n}`, r.phases]),
        )
      );
    });
    const syscallsFile = writeTable("syscalls.txt", perImage.join("\n\n"));
    w(`per run: ${runsFile}; per syscall (calls, runs, phases): ${syscallsFile}\n`);
    w(
      `dataset: ${shown(out)} (query it with DuckDB: read_parquet('${shown(events)}', hive_partitioning=true, hive_types_autocast=false))\n`,
    );
  });
}

/** Characterize: the paper's rule counts per image; the syscall and argument tables in a file. */
async function characterizeStage(): Promise<void> {
  w(heading(`characterize ${shown(out)}`));
  const results = await characterize({ dataset: out });
  w(
    table(
      ["image", "runs", "events", "syscall types", "type rules", "type+argument rules"],
      results.map((c) => [
        c.image,
        c.runs,
        c.events,
        c.syscalls.length,
        c.rules.type_rules,
        c.rules.type_arg_rules,
      ]),
    ) + "\n",
  );
  const file = writeTable("characterize.txt", results.map(characterizeTable).join("\n"));
  w(`the paper's rule counts outside the runtime phase; per syscall and argument: ${file}\n`);
}

/** Coverage: estimate, P(new) and verdict per image and level; everything else in a file. */
async function coverageStage(): Promise<void> {
  w(heading(`coverage ${shown(out)}`));
  const results = await coverage({ dataset: out });
  w(
    table(
      ["image", "level", "per", "runs", "seen", "chao2", "95% interval", "P(new)", "+runs95", "verdict"],
      results.flatMap((c) =>
        LEVELS.map((lv) => {
          const s = c.levels[lv];
          return [
            c.image,
            lv,
            c.sampling_unit,
            s.runs,
            s.observed,
            f1(s.chao2),
            `[${f1(s.chao2_lower)}, ${f1(s.chao2_upper)}]`,
            pct(s.p_new),
            s.runs_to_95,
            s.verdict,
          ];
        }),
      ),
    ) + "\n",
  );
  const file = writeTable("coverage.txt", coverageText(results));
  w(`P(new): that the next run reveals a new unit; every estimator and leave-one-run-out: ${file}\n`);
}

async function run(): Promise<number> {
  rmSync(out, { recursive: true, force: true });
  await ingestStage();
  await characterizeStage();
  await coverageStage();
  const profiled = await demoProfiles(out, writeTable);
  if (profiled !== 0) return profiled;
  w(heading(`report (one self-contained HTML file; notebooks: npm run notebooks)`));
  return main(["report", out, "--out", join(out, "report")]);
}

run().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`demo failed: ${(e as Error).stack}\n`);
    process.exitCode = 1;
  },
);
