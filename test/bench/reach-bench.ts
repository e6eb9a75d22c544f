/**
 * `tsx test/bench/reach-bench.ts`: `sandmine reach` on the style recordings (datasets/styles.yaml)
 * per image, with the image's own root filesystem (the debootstrap trees `record` runs, from
 * $SANDMINE_CACHE, default /var/tmp/sandmine-cache; the host's `/` when a tree is missing, a
 * stand-in that holds only for images whose packages the host has), and for nginx, redis and
 * memcached also their Debian arm64 build (datasets/record/build-arm64-tree.sh: aarch64 code,
 * the same versions), and two measurements:
 *
 * - time: analysis per image cold (empty cache) and cached (second run, the same cache), and each
 *   libc build (x86_64 and aarch64 glibc 2.36) alone uncached and cached, beside the baseline
 *   `objdump -d --no-show-raw-insn FILE > /dev/null` (the disassembly alone) in the same run, as
 *   ratios; wall and CPU seconds (this process plus its waited-for children: objdump, tar).
 * - recall: M from the benchmark runs only (the use-case run held out with --exclude-runs), U the
 *   syscalls only the use-case run made (runc init's own calls left out: no analysis of the image
 *   predicts them), recall = |U ∩ S| / |U|, the share of U that S \ M named in advance, and its
 *   price |S \ M|.
 *
 * Results: out/bench/reach.json, the summary record out/bench/reach.summary.json (the README's
 * benchmark table: scripts/bench-readme.ts) and a table on stdout. SANDMINE_BENCH_DATASET=DIR
 * reuses an ingested dataset of datasets/styles.yaml.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { main } from "../../pipeline/cli.ts";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { analyzeFile, objdumpFor } from "../../pipeline/reach/analyze-file.ts";
import { reach, type ReachResult } from "../../pipeline/reach/reach.ts";
import { resolveIn } from "../../pipeline/reach/rootfs.ts";
import { eventsSource } from "../../stages/characterize/index.ts";
import { minedFor } from "../../stages/reach/arch.ts";
import { EM_AARCH64, EM_X86_64, readElf } from "../../stages/reach/elf.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { ARM64_TREE, STYLE_TREES } from "../util/reach-trees.ts";
import { startSummary, times, type BenchTarget } from "./summary.ts";

const TREES = STYLE_TREES;
const LIBC_PATH = { x86_64: "/lib/x86_64-linux-gnu/libc.so.6", aarch64: "/lib/aarch64-linux-gnu/libc.so.6" };

/** CPU seconds of this process and its waited-for children (utime+stime, cutime+cstime). */
function cpu(): number {
  const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  const ticks = [11, 12, 13, 14].reduce((s, i) => s + Number(f[i]), 0);
  return ticks / 100;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = cpu();
  const t0 = performance.now();
  const value = await fn();
  return { value, wall: (performance.now() - t0) / 1000, cpu: cpu() - c0 };
}

function objdumpOnly(file: string, machine: number): { wall: number; cpu: number } {
  const c0 = cpu();
  const t0 = performance.now();
  const tool = objdumpFor(machine).command;
  const r = spawnSync("bash", ["-c", `${tool} -d --no-show-raw-insn -w '${file}' > /dev/null`]);
  if (r.status !== 0) throw new Error(`objdump ${file}: ${r.stderr.toString()}`);
  return { wall: (performance.now() - t0) / 1000, cpu: cpu() - c0 };
}

interface Entry {
  image: string;
  run: string;
  labels: Record<string, string>;
}

async function main_(): Promise<void> {
  const summary = startSummary("reach", "npx tsx test/bench/reach-bench.ts");
  const manifest = join(REPO_ROOT, "datasets", "styles.yaml");
  const entries = (parse(readFileSync(manifest, "utf8")) as { captures: Entry[] }).captures;
  let tmp: string | undefined;
  let ds = process.env.SANDMINE_BENCH_DATASET;
  if (!ds) {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-reach-bench-"));
    ds = join(tmp, "ds");
    const code = await main(["ingest", "--manifest", manifest, "--out", ds, "-q"]);
    if (code !== 0) throw new Error(`ingest exited ${code}`);
  }
  const rows: Record<string, unknown>[] = [];
  const libcDone = new Set<string>();
  const libcRows: Record<string, unknown>[] = [];
  const cases: { image: string; tree: string; arch: "x86_64" | "aarch64" }[] = [
    ...["nginx", "redis", "memcached", "postgres"].map((image) => ({
      image,
      tree: existsSync(TREES[image]!) ? TREES[image]! : "/",
      arch: "x86_64" as const,
    })),
    ...(existsSync(ARM64_TREE)
      ? ["nginx", "redis", "memcached"].map((image) => ({
          image,
          tree: ARM64_TREE,
          arch: "aarch64" as const,
        }))
      : []),
  ];
  if (!existsSync(ARM64_TREE))
    console.error(`reach-bench: no ${ARM64_TREE} (build-arm64-tree.sh): aarch64 left out`);
  for (const { image, tree, arch } of cases) {
    const uc = entries.filter((e) => e.image === image && e.labels.role === "usecase").map((e) => e.run);
    const cacheDir = mkdtempSync(join(tmpdir(), "sandmine-reach-cache-"));
    const opts = { rootfs: tree, dataset: ds, image, excludeRuns: uc, cacheDir };
    const cold = await timed(() => reach(opts));
    const warm = await timed(() => reach(opts));
    const r: ReachResult = cold.value;
    if (r.arch !== arch) throw new Error(`${image} in ${tree}: analysed as ${r.arch}, expected ${arch}`);
    const machine = arch === "aarch64" ? EM_AARCH64 : EM_X86_64;
    const baseline = r.files.reduce(
      (acc, f) => {
        const b = objdumpOnly(join(tree, f.path), machine);
        return { wall: acc.wall + b.wall, cpu: acc.cpu + b.cpu };
      },
      { wall: 0, cpu: 0 },
    );
    const libc = await resolveIn(tree, LIBC_PATH[arch]);
    if (libc) {
      const buildId = readElf(readFileSync(libc.host)).buildId;
      if (buildId && !libcDone.has(buildId)) {
        libcDone.add(buildId);
        const c = mkdtempSync(join(tmpdir(), "sandmine-reach-libc-"));
        const u = await timed(() => analyzeFile(libc.host, libc.path, { closures: true, cacheDir: c }));
        const k = await timed(() => analyzeFile(libc.host, libc.path, { closures: true, cacheDir: c }));
        const b = objdumpOnly(libc.host, machine);
        libcRows.push({
          arch,
          buildId,
          tree,
          instructions: u.value.code.instructions,
          uncachedWall: u.wall,
          uncachedCpu: u.cpu,
          cachedWall: k.wall,
          cachedCpu: k.cpu,
          objdumpWall: b.wall,
          objdumpCpu: b.cpu,
          exports: Object.keys(u.value.code.exports).length,
          sites: u.value.code.whole.syscalls.length,
          unknownSites: u.value.code.unknown.length,
        });
        rmSync(c, { recursive: true, force: true });
      }
    }
    const U = await withDb((db) =>
      db.query<{ syscall: string }>(
        `SELECT DISTINCT syscall FROM ${eventsSource(ds!)} WHERE image = $1 AND phase <> 'runtime'
           AND run IN (${uc.map(quoteString).join(", ") || "''"}) AND NOT regexp_matches(coalesce(comm, ''), '^(runc|exe)')
         ORDER BY syscall`,
        [image],
      ),
    );
    const m = new Set(r.minedSet);
    const s = new Set(r.reachableSet);
    // the use-case run's calls in the analysed architecture's names (recorded on x86_64)
    const only = [
      ...new Set(
        minedFor(
          U.map((x) => ({ syscall: x.syscall, calls: 1, comms: [] })),
          arch,
        ).map((x) => x.syscall),
      ),
    ].filter((x) => !m.has(x));
    const named = only.filter((x) => s.has(x));
    rows.push({
      image,
      arch,
      rootfs: tree,
      M: r.comparison.mined,
      S: r.comparison.reachable,
      gaps: r.comparison.gaps.length,
      gapReasons: Object.fromEntries(r.comparison.gaps.map((g) => [g.syscall, g.reason])),
      unexplained: r.comparison.gaps.filter((g) => g.reason === "unexplained").length,
      price: r.comparison.unseen.length,
      usecaseOnly: only,
      named,
      missed: only.filter((x) => !s.has(x)),
      recall: only.length ? named.length / only.length : null,
      files: r.files.length,
      coldWall: cold.wall,
      coldCpu: cold.cpu,
      warmWall: warm.wall,
      warmCpu: warm.cpu,
      objdumpWall: baseline.wall,
      objdumpCpu: baseline.cpu,
      perBinaryColdWall: cold.wall / r.files.length,
    });
    rmSync(cacheDir, { recursive: true, force: true });
  }
  // Leave-one-run-out on the bundled captures (datasets/captures.yaml): each run held out in turn.
  const bundled = (
    parse(readFileSync(join(REPO_ROOT, "datasets", "captures.yaml"), "utf8")) as { captures: Entry[] }
  ).captures;
  let bds = process.env.SANDMINE_BENCH_BUNDLED;
  if (!bds) {
    tmp ??= mkdtempSync(join(tmpdir(), "sandmine-reach-bench-"));
    bds = join(tmp, "bundled");
    const code = await main([
      "ingest",
      "--manifest",
      join(REPO_ROOT, "datasets", "captures.yaml"),
      "--out",
      bds,
      "-q",
    ]);
    if (code !== 0) throw new Error(`ingest exited ${code}`);
  }
  const loo: Record<string, unknown>[] = [];
  const looCache = mkdtempSync(join(tmpdir(), "sandmine-reach-cache-"));
  for (const image of [...new Set(bundled.map((e) => e.image))]) {
    const tree = existsSync(TREES[image]!) ? TREES[image]! : "/";
    const runs = bundled.filter((e) => e.image === image).map((e) => e.run);
    let U = 0,
      named = 0;
    const prices: number[] = [];
    const missed: string[] = [];
    for (const held of runs) {
      const r = await reach({ rootfs: tree, dataset: bds, image, excludeRuns: [held], cacheDir: looCache });
      const mine = await withDb((db) =>
        db.query<{ syscall: string }>(
          `SELECT DISTINCT syscall FROM ${eventsSource(bds!)} WHERE image = $1 AND run = $2 AND phase <> 'runtime'
             AND NOT regexp_matches(coalesce(comm, ''), '^(runc|exe)') ORDER BY syscall`,
          [image, held],
        ),
      );
      const m = new Set(r.minedSet);
      const s = new Set(r.reachableSet);
      const only = mine.map((x) => x.syscall).filter((x) => !m.has(x));
      U += only.length;
      named += only.filter((x) => s.has(x)).length;
      missed.push(...only.filter((x) => !s.has(x)).map((x) => `${held}:${x}`));
      prices.push(r.comparison.unseen.length);
    }
    loo.push({
      image,
      runs: runs.length,
      heldOutOnly: U,
      named,
      recall: U ? named / U : null,
      meanPrice: prices.reduce((a, b) => a + b, 0) / prices.length,
      missed,
    });
  }
  rmSync(looCache, { recursive: true, force: true });
  const f = (x: unknown): string => (typeof x === "number" ? x.toFixed(2) : String(x));
  console.log(
    "image      arch     rootfs                                   |M|  |S|  M\\S  unexpl  |S\\M|  U  named  recall  files  cold s (cpu)   warm s (cpu)  objdump-only s (cpu)  cold/objdump",
  );
  for (const r of rows) {
    console.log(
      [
        String(r.image).padEnd(10),
        String(r.arch).padEnd(7),
        String(r.rootfs).padEnd(40),
        r.M,
        r.S,
        r.gaps,
        r.unexplained,
        r.price,
        (r.usecaseOnly as string[]).length,
        (r.named as string[]).length,
        r.recall === null ? "-" : f(r.recall),
        r.files,
        `${f(r.coldWall)} (${f(r.coldCpu)})`,
        `${f(r.warmWall)} (${f(r.warmCpu)})`,
        `${f(r.objdumpWall)} (${f(r.objdumpCpu)})`,
        f((r.coldWall as number) / (r.objdumpWall as number)),
      ].join("  "),
    );
    console.log(
      `    use-case only: ${(r.usecaseOnly as string[]).join(" ")}; missed: ${(r.missed as string[]).join(" ") || "none"}`,
    );
  }
  for (const l of libcRows) {
    console.log(
      `libc ${String(l.arch)} ${String(l.buildId)}: uncached ${f(l.uncachedWall)} s (cpu ${f(l.uncachedCpu)}), cached ${f(l.cachedWall)} s (cpu ${f(l.cachedCpu)}), objdump alone ${f(l.objdumpWall)} s (cpu ${f(l.objdumpCpu)}); uncached/cached ${f((l.uncachedWall as number) / (l.cachedWall as number))}x, uncached/objdump ${f((l.uncachedWall as number) / (l.objdumpWall as number))}x`,
    );
  }
  console.log(
    "leave-one-run-out on datasets/captures.yaml: image, runs, syscalls only the held-out run made (summed), named by S \\ M, recall, mean |S \\ M|",
  );
  for (const l of loo) {
    console.log(
      `  ${String(l.image).padEnd(10)} ${l.runs} runs  ${l.heldOutOnly} held-out-only  ${l.named} named  recall ${l.recall === null ? "-" : f(l.recall)}  mean |S\\M| ${f(l.meanPrice)}${(l.missed as string[]).length ? `  missed: ${(l.missed as string[]).join(" ")}` : ""}`,
    );
  }
  mkdirSync(join(REPO_ROOT, "out", "bench"), { recursive: true });
  writeFileSync(
    join(REPO_ROOT, "out", "bench", "reach.json"),
    JSON.stringify({ images: rows, libc: libcRows, leaveOneOut: loo }, null, 2) + "\n",
  );
  const secs = (x: unknown): string => `${(x as number).toFixed(2)} s`;
  const targets: BenchTarget[] = [];
  for (const r of rows) {
    const ratio = (r.coldWall as number) / (r.warmWall as number);
    targets.push({
      path: `reach ${String(r.image)} (${String(r.arch)}, ${String(r.files)} files): second run, cache filled (wall)`,
      baseline: "the first run, empty cache",
      measured: `${times(ratio)} (${secs(r.warmWall)} vs ${secs(r.coldWall)}; CPU ${secs(r.warmCpu)} vs ${secs(r.coldCpu)})`,
      target: "≥ 10×",
      met: ratio >= 10,
    });
  }
  for (const l of libcRows) {
    const over = (l.uncachedWall as number) / (l.objdumpWall as number);
    const cached = (l.uncachedWall as number) / (l.cachedWall as number);
    const name = `libc ${String(l.arch)} (glibc 2.36, build ${String(l.buildId).slice(0, 8)}, ${String(l.exports)} functions)`;
    targets.push({
      path: `${name}: per-function closures, uncached (wall)`,
      baseline: `${objdumpFor(l.arch === "aarch64" ? EM_AARCH64 : EM_X86_64).command} -d alone, same file`,
      measured: `${times(over)} (${secs(l.uncachedWall)} vs ${secs(l.objdumpWall)}; CPU ${secs(l.uncachedCpu)} vs ${secs(l.objdumpCpu)})`,
      target: "≤ 4×",
      met: over <= 4,
    });
    targets.push({
      path: `${name}: cached by build id (wall)`,
      baseline: "the same, uncached",
      measured: `${times(cached)} (${secs(l.cachedWall)} vs ${secs(l.uncachedWall)})`,
      target: "≥ 20×",
      met: cached >= 20,
    });
  }
  console.log(`summary: ${summary(targets)}`);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

main_().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
