/**
 * `npm run bench` (fleet part): the whole pipeline over a synthetic fleet, at two sizes of the same
 * seeded draw (test/util/fleet.ts: the bundled real captures resampled and perturbed):
 *   - small  the fleet's first 20 images, 100 captures: the baseline of the cost per capture;
 *   - fleet  200 images, 1,000 captures.
 * Each stage runs as a child process of the bundled CLI (pipeline/launch.mjs, as `npm run
 * sandmine`) under GNU time: ingest --manifest, then characterize, coverage and synthesize with
 * --all-images. Per size it reports wall and CPU seconds of each stage, events/s of the ingest, the
 * peak RSS of the largest stage, and the cost per capture; the target is fleet ≤ 1.2× small per
 * capture (wall, and CPU beside it: the machine is shared), and the peak RSS of each stage at fleet
 * size ≤ 1.2× its peak at small (memory flat as the job grows). A third case, small with --workers
 * 1 for the --all-images stages, is the baseline of their parallelism; a fourth, small with every
 * stage under --max-memory 256M, shows the budget lowering each stage's peak.
 *
 * It checks what it measured: every capture committed, lines = events + rejected + skipped, one
 * result per image from each stage and a profile file per image. Exit status: 0 done (a missed
 * target is reported, not failed), 1 a check or a stage failed. Writes out/bench/fleet.json.
 *
 * Env: SANDMINE_FLEET_IMAGES (default 200), SANDMINE_FLEET_SMALL (default 20) images,
 * SANDMINE_FLEET_PER_IMAGE (default 5) captures per image, SANDMINE_FLEET_SEED (default 1),
 * SANDMINE_FLEET_KEEP=1 keeps the temporary folder, SANDMINE_FLEET_LOW_BUDGET (default 256M) the
 * --max-memory of the last case.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { subManifest, writeFleet, type Fleet } from "../util/fleet.ts";
import { startSummary, times } from "./summary.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const RESULT_FILE = join(ROOT, "out", "bench", "fleet.json");
const GNU_TIME = "/usr/bin/time";
const TARGET_PER_CAPTURE = 1.2;
/** peak RSS of each stage at 1,000 captures over its peak at 100 (flat: bounded memory) */
const TARGET_RSS = 1.2;
/** the budget of the case that shows --max-memory lowering the peak (the least ingest takes: 2 workers' worth) */
const LOW_BUDGET = process.env.SANDMINE_FLEET_LOW_BUDGET ?? "256M";

const env = (k: string, d: number): number => Number(process.env[k] ?? d);
const IMAGES = env("SANDMINE_FLEET_IMAGES", 200);
const SMALL = env("SANDMINE_FLEET_SMALL", 20);
const PER_IMAGE = env("SANDMINE_FLEET_PER_IMAGE", 5);
const SEED = env("SANDMINE_FLEET_SEED", 1);

interface StageResult {
  stage: string;
  code: number;
  wallSeconds: number;
  cpuSeconds: number | null;
  peakRssMb: number | null;
  stdout: string;
  loadBefore: number;
}

/** Runs the bundled CLI with `args` under GNU time. */
function cli(args: string[], timeFile: string): Promise<StageResult> {
  const argv = [
    GNU_TIME,
    "-f",
    "%M %U %S",
    "-o",
    timeFile,
    process.execPath,
    "pipeline/launch.mjs",
    "cli",
    ...args,
  ];
  const loadBefore = loadavg()[0]!;
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => chunks.push(b));
    child.on("error", fail);
    child.on("close", (code, signal) => {
      const wallSeconds = (performance.now() - t0) / 1000;
      const [kb, user, sys] = (readFileSync(timeFile, "utf8").trim().split("\n").pop() ?? "")
        .split(" ")
        .map(Number);
      ok({
        stage: args[0]!,
        code: code ?? (signal ? 128 : 1),
        wallSeconds,
        cpuSeconds: Number.isFinite(user! + sys!) ? user! + sys! : null,
        peakRssMb: Number.isFinite(kb) ? kb! / 1024 : null,
        stdout: Buffer.concat(chunks).toString("utf8"),
        loadBefore,
      });
    });
  });
}

interface CaseResult {
  name: string;
  images: number;
  captures: number;
  lines: number;
  events: number;
  stages: Omit<StageResult, "stdout">[];
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  eventsPerSecond: number;
  wallPerCapture: number;
  cpuPerCapture: number;
}

const failures: string[] = [];
const check = (ok: boolean, what: string): void => {
  if (!ok) failures.push(what);
};

/** The whole pipeline over `manifest` (`images` images, `captures` captures) into a fresh dataset. */
async function runCase(
  name: string,
  manifest: string,
  images: number,
  captures: number,
  tmp: string,
  workers?: number,
  maxMemory?: string,
): Promise<CaseResult> {
  const ds = join(tmp, `ds-${name}`);
  const profiles = join(tmp, `profiles-${name}`);
  const m = maxMemory === undefined ? [] : ["--max-memory", maxMemory];
  const w = [...(workers === undefined ? [] : ["--workers", String(workers)]), ...m];
  const steps: [string, string[]][] = [
    ["ingest", ["ingest", "--manifest", manifest, "--out", ds, "-q", "--json", ...m]],
    ["characterize", ["characterize", ds, "--all-images", ...w, "-q", "--json"]],
    ["coverage", ["coverage", ds, "--all-images", ...w, "-q", "--json"]],
    ["synthesize", ["synthesize", ds, "--all-images", ...w, "--out", profiles, "-q", "--json"]],
  ];
  const results: StageResult[] = [];
  for (const [stage, args] of steps) {
    const r = await cli(args, join(tmp, `time-${name}-${stage}`));
    process.stderr.write(
      `fleet-bench: ${name} ${stage}: ${r.wallSeconds.toFixed(1)} s wall, ${r.cpuSeconds?.toFixed(1)} s CPU, ` +
        `${r.peakRssMb?.toFixed(0)} MiB (load ${r.loadBefore.toFixed(1)})\n`,
    );
    check(r.code === 0 || (stage === "synthesize" && r.code === 1), `${name} ${stage}: exit ${r.code}`);
    results.push(r);
  }
  const ingest = JSON.parse(results[0]!.stdout) as {
    lines: number;
    events: number;
    rejected: number;
    skipped: number;
    runs: { image: string }[];
    images: { image: string; runs: number }[];
  };
  check(ingest.runs.length === captures, `${name}: ${ingest.runs.length} runs committed of ${captures}`);
  check(ingest.images.length === images, `${name}: summary has ${ingest.images.length} images of ${images}`);
  check(
    ingest.lines === ingest.events + ingest.rejected + ingest.skipped,
    `${name}: lines ${ingest.lines} ≠ events + rejected + skipped`,
  );
  for (const k of [1, 2, 3]) {
    const n = results[k]!.stdout.trim().split("\n").length;
    check(n === images, `${name} ${results[k]!.stage}: ${n} results for ${images} images`);
  }
  const written = existsSync(profiles)
    ? readdirSync(profiles).filter((f) => /^[^.]+-\d+\.json$/.test(f))
    : [];
  check(written.length === images, `${name}: ${written.length} profiles for ${images} images`);
  const wall = results.reduce((n, r) => n + r.wallSeconds, 0);
  const cpu = results.reduce((n, r) => n + (r.cpuSeconds ?? 0), 0);
  return {
    name,
    images,
    captures,
    lines: ingest.lines,
    events: ingest.events,
    stages: results.map(({ stdout, ...rest }) => (void stdout, rest)),
    wallSeconds: wall,
    cpuSeconds: cpu,
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb ?? 0)),
    eventsPerSecond: ingest.events / results[0]!.wallSeconds,
    wallPerCapture: wall / captures,
    cpuPerCapture: cpu / captures,
  };
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

function table(cases: CaseResult[]): string {
  const stageNames = ["ingest", "characterize", "coverage", "synthesize"];
  const head =
    `${"case".padEnd(10)}${pad("images", 7)}${pad("captures", 9)}${pad("events", 10)}` +
    stageNames.map((s) => pad(s, 14)).join("") +
    `${pad("total s", 9)}${pad("CPU s", 8)}${pad("ev/s", 9)}${pad("RSS MiB", 9)}${pad("ms/capt", 9)}${pad("CPU ms/c", 10)}`;
  const rows = cases.map(
    (c) =>
      `${c.name.padEnd(10)}${pad(c.images, 7)}${pad(c.captures, 9)}${pad(c.events, 10)}` +
      c.stages.map((s) => pad(`${s.wallSeconds.toFixed(1)}/${(s.cpuSeconds ?? 0).toFixed(1)}`, 14)).join("") +
      `${pad(c.wallSeconds.toFixed(1), 9)}${pad(c.cpuSeconds.toFixed(1), 8)}${pad(Math.round(c.eventsPerSecond), 9)}` +
      `${pad(c.peakRssMb.toFixed(0), 9)}${pad((1000 * c.wallPerCapture).toFixed(0), 9)}${pad((1000 * c.cpuPerCapture).toFixed(0), 10)}`,
  );
  return [head, ...rows].join("\n");
}

async function main(): Promise<number> {
  const summary = startSummary("fleet", "npx tsx test/bench/fleet-bench.ts");
  if (!existsSync(GNU_TIME)) {
    process.stderr.write(`fleet-bench: ${GNU_TIME} missing (apt-get install time): CPU and RSS need it\n`);
    return 1;
  }
  const tmp = mkdtempSync(join(tmpdir(), "sandmine-fleet-bench-"));
  try {
    const t0 = performance.now();
    const fleet: Fleet = writeFleet(join(tmp, "fleet"), {
      images: IMAGES,
      capturesPerImage: PER_IMAGE,
      seed: SEED,
    });
    const small = subManifest(fleet, SMALL, join(fleet.dir, "small.yaml"));
    process.stderr.write(
      `fleet-bench: ${fleet.captures.length} captures over ${IMAGES} images, ${fleet.lines} lines, ` +
        `${(fleet.bytes / 1048576).toFixed(0)} MiB, written in ${((performance.now() - t0) / 1000).toFixed(1)} s (seed ${SEED})\n`,
    );
    // the bundle is built by the first command, outside the timed cases
    await cli(["--help"], join(tmp, "time-build"));
    const cases = [
      await runCase("small", small, SMALL, SMALL * PER_IMAGE, tmp),
      await runCase("small-w1", small, SMALL, SMALL * PER_IMAGE, tmp, 1),
      await runCase("fleet", fleet.manifest, IMAGES, fleet.captures.length, tmp),
      await runCase(`small-${LOW_BUDGET}`, small, SMALL, SMALL * PER_IMAGE, tmp, undefined, LOW_BUDGET),
    ];
    const [s, w1, f, low] = [cases[0]!, cases[1]!, cases[2]!, cases[3]!];
    const stageRss = (c: CaseResult, k: number): number => c.stages[k]!.peakRssMb ?? 0;
    const stageNames = ["ingest", "characterize", "coverage", "synthesize"];
    const rssRatio = stageNames.map((_, k) => stageRss(f, k) / stageRss(s, k));
    const ratioWall = f.wallPerCapture / s.wallPerCapture;
    const ratioCpu = f.cpuPerCapture / s.cpuPerCapture;
    const analysis = (c: CaseResult) => c.stages.slice(1).reduce((n, x) => n + x.wallSeconds, 0);
    const parallel = analysis(w1) / analysis(s);
    const lines = [
      `fleet bench: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}; per stage wall/CPU seconds`,
      table(cases),
      `cost per capture, ${f.captures} vs ${s.captures} captures: ${ratioWall.toFixed(2)}× wall, ${ratioCpu.toFixed(2)}× CPU ` +
        `(target ≤ ${TARGET_PER_CAPTURE}×: ${ratioWall <= TARGET_PER_CAPTURE ? "met" : "MISSED"})`,
      `--all-images stages at ${s.captures} captures, --workers 1 vs default: ${parallel.toFixed(2)}× the wall time`,
      `peak RSS: ${s.peakRssMb.toFixed(0)} MiB at ${s.captures} captures, ${f.peakRssMb.toFixed(0)} MiB at ${f.captures}`,
      `peak RSS per stage, MiB (${stageNames.join(", ")}):`,
      ...cases.map(
        (c) =>
          `  ${c.name.padEnd(12)} ${stageNames.map((_, k) => pad(stageRss(c, k).toFixed(0), 5)).join(" ")}`,
      ),
      `  fleet/small  ${rssRatio.map((r) => pad(`${r.toFixed(2)}×`, 5)).join(" ")}  (target ≤ ${TARGET_RSS}× each: ${
        rssRatio.every((r) => r <= TARGET_RSS) ? "met" : "MISSED"
      })`,
      `  --max-memory ${LOW_BUDGET} vs none at ${s.captures} captures: ${stageNames
        .map((n, k) => `${n} ${(stageRss(low, k) / stageRss(s, k)).toFixed(2)}×`)
        .join(", ")}`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    mkdirSync(dirname(RESULT_FILE), { recursive: true });
    writeFileSync(
      RESULT_FILE,
      JSON.stringify(
        {
          seed: SEED,
          fleet: { images: IMAGES, captures: fleet.captures.length, lines: fleet.lines, bytes: fleet.bytes },
          cases,
          per_capture_ratio: { wall: ratioWall, cpu: ratioCpu, target: TARGET_PER_CAPTURE },
          workers1_vs_default: parallel,
          peak_rss_ratio_per_stage: Object.fromEntries(stageNames.map((n, k) => [n, rssRatio[k]])),
          low_budget: {
            max_memory: LOW_BUDGET,
            rss_ratio_per_stage: Object.fromEntries(
              stageNames.map((n, k) => [n, stageRss(low, k) / stageRss(s, k)]),
            ),
          },
          failures,
        },
        null,
        1,
      ) + "\n",
    );
    const rss = f.peakRssMb / s.peakRssMb;
    summary([
      {
        path: `whole pipeline, cost per capture at ${f.captures} captures / ${IMAGES} images (wall; CPU ${times(ratioCpu)})`,
        baseline: `the same at ${s.captures} captures / ${SMALL} images`,
        measured: times(ratioWall),
        target: `≤ ${TARGET_PER_CAPTURE}×`,
        met: ratioWall <= TARGET_PER_CAPTURE,
      },
      {
        path: `peak RSS of the largest stage at ${f.captures} captures (${f.peakRssMb.toFixed(0)} MiB)`,
        baseline: `the same at ${s.captures} captures (${s.peakRssMb.toFixed(0)} MiB)`,
        measured: times(rss),
        target: "≤ 1.2× (flat)",
        met: rss <= 1.2,
      },
    ]);
    for (const x of failures) process.stderr.write(`fleet-bench: FAILED ${x}\n`);
    return failures.length ? 1 : 0;
  } finally {
    if (process.env.SANDMINE_FLEET_KEEP) process.stderr.write(`fleet-bench: kept ${tmp}\n`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main();
