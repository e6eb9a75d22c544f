/**
 * `npm run bench:readme` (the last step of `npm run bench`): the README's benchmark section from the
 * benchmarks' own records. Each benchmark writes `out/bench/NAME.summary.json`
 * (test/bench/summary.ts); this merges them into `docs/bench/latest.json` (committed: a benchmark not
 * run this time keeps its last record) and rewrites the README region `bench` from that file.
 * `--check` (part of `npm run check`) writes nothing and fails when the README region differs from
 * what docs/bench/latest.json gives, so the table cannot drift from the recorded measurements.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import type { BenchSummary } from "../test/bench/summary.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const LATEST = join(ROOT, "docs", "bench", "latest.json");
const README = join(ROOT, "README.md");
const OUT = join(ROOT, "out", "bench");
/** The order of the table: the pipeline's order. */
const ORDER = ["ingest", "scap", "analyze", "fleet", "reach"];

const BEGIN = "<!-- BEGIN GENERATED: bench (npm run bench:readme) -->";
const END = "<!-- END GENERATED: bench -->";

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const rank = (b: string): number => (ORDER.includes(b) ? ORDER.indexOf(b) : ORDER.length);

/** The README region's body for these records. */
export function renderBench(summaries: readonly BenchSummary[]): string {
  const sorted = [...summaries].sort(
    (a, b) => rank(a.bench) - rank(b.bench) || a.bench.localeCompare(b.bench),
  );
  const rows = sorted.flatMap((s) =>
    s.targets.map(
      (t) =>
        `| ${cell(s.bench)} | ${cell(t.path)} | ${cell(t.baseline)} | ${cell(t.measured)} | ${cell(t.target)} | ${t.met ? "met" : "**missed**"} |`,
    ),
  );
  const runs = sorted.map(
    (s) =>
      `- ${s.bench}: \`${cell(s.command)}\` at ${s.commit}, ${s.date.slice(0, 16).replace("T", " ")} UTC, ` +
      `${s.cores} cores, 1-minute load ${s.load[0].toFixed(2)} at the start, ${s.load[1].toFixed(2)} at the end`,
  );
  const met = sorted.reduce((n, s) => n + s.targets.filter((t) => t.met).length, 0);
  return [
    `Generated from the benchmarks' records (\`docs/bench/latest.json\`, ${met} of ${rows.length} targets met). ` +
      "Every ratio is against the baseline named beside it, measured in the same run; details and " +
      "profiles in [docs/benchmarks.md](docs/benchmarks.md).",
    "",
    "| bench | path | baseline (same run) | measured | target | |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
    "Runs:",
    "",
    ...runs,
  ].join("\n");
}

function readLatest(): BenchSummary[] {
  return existsSync(LATEST) ? (JSON.parse(readFileSync(LATEST, "utf8")) as BenchSummary[]) : [];
}

/** Records in out/bench replace the committed ones of the same benchmark. */
function merge(latest: BenchSummary[]): BenchSummary[] {
  const byBench = new Map(latest.map((s) => [s.bench, s]));
  if (existsSync(OUT))
    for (const f of readdirSync(OUT)
      .filter((n) => n.endsWith(".summary.json"))
      .sort()) {
      const s = JSON.parse(readFileSync(join(OUT, f), "utf8")) as BenchSummary;
      byBench.set(s.bench, s);
    }
  return [...byBench.values()].sort((a, b) => rank(a.bench) - rank(b.bench));
}

function withRegion(text: string, body: string): string | null {
  const b = text.indexOf(BEGIN);
  const e = text.indexOf(END);
  if (b < 0 || e < b) return null;
  return text.slice(0, b) + `${BEGIN}\n${body}\n${END}` + text.slice(e + END.length);
}

/** The records as the repository's prettier config prints JSON, so `prettier --check .` stays clean. */
async function printed(summaries: readonly BenchSummary[]): Promise<string> {
  const options = (await resolveConfig(LATEST)) ?? {};
  return format(JSON.stringify(summaries, null, 2), { ...options, filepath: LATEST });
}

/** Regenerates (or with `check` compares); returns the problems found. */
export async function generate(check: boolean): Promise<string[]> {
  const summaries = check ? readLatest() : merge(readLatest());
  const readme = readFileSync(README, "utf8");
  const next = withRegion(readme, renderBench(summaries));
  if (next === null) return [`README.md: no region ${BEGIN}`];
  if (check)
    return next === readme ? [] : ["README.md: benchmark section out of date (run npm run bench:readme)"];
  writeFileSync(LATEST, await printed(summaries));
  writeFileSync(README, next);
  return [];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await generate(process.argv.includes("--check"));
  for (const p of problems) process.stderr.write(`bench:readme: ${p}\n`);
  process.exitCode = problems.length ? 1 : 0;
}
