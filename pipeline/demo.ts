/**
 * `npm run demo`: the main job on the bundled captures in datasets/ (no Docker needed). It grows
 * with each stage; today: ingest every bundled run, then print per image the syscall types with
 * their counts and phases, from a DuckDB query over the Parquet dataset; then characterize (results
 * written under the dataset, one line per image printed) and coverage (its table printed).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { main } from "./cli.ts";
import { quoteString, withDb } from "./duckdb.ts";
import { characterize } from "./analyze/characterize.ts";
import { demoProfiles } from "./demo-profiles.ts";

// run from the repository root (npm run demo); the bundle lives elsewhere, so not import.meta.url
const root = process.cwd();
const out = join(root, "out", "demo");
const manifest = join(root, "datasets", "captures.yaml");

interface Row {
  image: string;
  syscall: string;
  calls: bigint;
  runs: bigint;
  phases: string;
}

async function run(): Promise<number> {
  rmSync(out, { recursive: true, force: true });
  process.stdout.write(`sandmine demo: ingest ${manifest} → ${out}\n`);
  const code = await main(["ingest", "--manifest", manifest, "--out", out]);
  if (code !== 0) return code;
  const events = join(out, "events", "*", "*", "*.parquet");
  const shown = await withDb(async (db) => {
    const rows = await db.query<Row>(
      `SELECT image, syscall, count(*) AS calls, count(DISTINCT run) AS runs,
              string_agg(DISTINCT phase, ',' ORDER BY phase) AS phases
       FROM read_parquet(${quoteString(events)}, hive_partitioning = true)
       GROUP BY image, syscall ORDER BY image, calls DESC, syscall`,
    );
    const totals = await db.query<{ image: string; runs: bigint; events: bigint; rejected: bigint }>(
      `SELECT image, count(*) AS runs, sum(events) AS events, sum(rejected) AS rejected
       FROM read_parquet(${quoteString(join(out, "runs.parquet"))}) GROUP BY image ORDER BY image`,
    );
    for (const t of totals) {
      const mine = rows.filter((r) => r.image === t.image);
      process.stdout.write(
        `\n== image ${t.image}: ${t.runs} runs, ${t.events} events, ${t.rejected} rejected, ${mine.length} syscall types ==\n`,
      );
      process.stdout.write(`${"syscall".padEnd(22)}${"calls".padStart(10)}${"runs".padStart(6)}  phases\n`);
      for (const r of mine) {
        process.stdout.write(
          `${r.syscall.padEnd(22)}${String(r.calls).padStart(10)}${`${r.runs}/${t.runs}`.padStart(6)}  ${r.phases}\n`,
        );
      }
    }
    process.stdout.write(
      `\ndataset: ${out} (query it with DuckDB: read_parquet('${events}', hive_partitioning=true))\n`,
    );
    return 0;
  });
  if (shown !== 0) return shown;
  process.stdout.write(`\nsandmine demo: characterize ${out} (tables: sandmine characterize ${out})\n`);
  for (const c of await characterize({ dataset: out })) {
    const r = c.rules;
    process.stdout.write(
      `  ${c.image}: ${c.syscalls.length} syscall types, ${r.type_rules} type rules and ${r.type_arg_rules} ` +
        `type+argument rules outside the runtime phase (the paper's definitions)\n`,
    );
  }
  process.stdout.write(`\nsandmine demo: coverage ${out}\n`);
  const covered = await main(["coverage", out]);
  if (covered !== 0) return covered;
  const profiled = await demoProfiles(out);
  if (profiled !== 0) return profiled;
  process.stdout.write(
    `\nsandmine demo: report (one self-contained HTML file; notebooks: npm run notebooks)\n`,
  );
  return main(["report", out, "--out", join(out, "report")]);
}

run().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`demo failed: ${(e as Error).stack}\n`);
    process.exitCode = 1;
  },
);
