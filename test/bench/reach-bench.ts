/**
 * `tsx test/bench/reach-bench.ts`: `sandmine reach` on the style recordings (datasets/styles.yaml)
 * per image, with the image's own root filesystem (the debootstrap trees `record` runs, from
 * $SANDMINE_CACHE, default /var/tmp/sandmine-cache; the host's `/` when a tree is missing, a
 * stand-in that holds only for images whose packages the host has), and two measurements:
 *
 * - time: analysis per image uncached (fresh cache) and cached (second run), and libc alone
 *   uncached and cached, beside the baseline `objdump -d --no-show-raw-insn FILE > /dev/null`
 *   (the disassembly alone) in the same run, as ratios; wall and CPU seconds (this process plus
 *   its waited-for children, objdump and tar).
 * - recall: M from the benchmark runs only (the use-case run held out with --exclude-runs), U the
 *   syscalls only the use-case run made (runc init's own calls left out: no analysis of the image
 *   predicts them), recall = |U ∩ S| / |U|, the share of U that S \ M named in advance, and its
 *   price |S \ M|.
 *
 * Results: out/bench/reach.json and a table on stdout. SANDMINE_BENCH_DATASET=DIR reuses an
 * ingested dataset of datasets/styles.yaml.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { main } from "../../pipeline/cli.ts";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { analyzeFile } from "../../pipeline/reach/analyze-file.ts";
import { reach, type ReachResult } from "../../pipeline/reach/reach.ts";
import { resolveIn } from "../../pipeline/reach/rootfs.ts";
import { eventsSource } from "../../stages/characterize/index.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { STYLE_TREES } from "../util/reach-trees.ts";

const TREES = STYLE_TREES;

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

function objdumpOnly(file: string): { wall: number; cpu: number } {
  const c0 = cpu();
  const t0 = performance.now();
  const r = spawnSync("bash", ["-c", `objdump -d --no-show-raw-insn -w '${file}' > /dev/null`]);
  if (r.status !== 0) throw new Error(`objdump ${file}: ${r.stderr.toString()}`);
  return { wall: (performance.now() - t0) / 1000, cpu: cpu() - c0 };
}

interface Entry {
  image: string;
  run: string;
  labels: Record<string, string>;
}

async function main_(): Promise<void> {
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
  for (const image of ["nginx", "redis", "memcached", "postgres"]) {
    const tree = existsSync(TREES[image]!) ? TREES[image]! : "/";
    const uc = entries.filter((e) => e.image === image && e.labels.role === "usecase").map((e) => e.run);
    const cacheDir = mkdtempSync(join(tmpdir(), "sandmine-reach-cache-"));
    const opts = { rootfs: tree, dataset: ds, image, excludeRuns: uc, cacheDir };
    const cold = await timed(() => reach(opts));
    const warm = await timed(() => reach(opts));
    const r: ReachResult = cold.value;
    const baseline = r.files.reduce(
      (acc, f) => {
        const b = objdumpOnly(join(tree, f.path));
        return { wall: acc.wall + b.wall, cpu: acc.cpu + b.cpu };
      },
      { wall: 0, cpu: 0 },
    );
    const libc = await resolveIn(tree, "/lib/x86_64-linux-gnu/libc.so.6");
    if (libc) {
      const a = await analyzeFile(libc.host, libc.path, { closures: true });
      if (a.code.buildId && !libcDone.has(a.code.buildId)) {
        libcDone.add(a.code.buildId);
        const c = mkdtempSync(join(tmpdir(), "sandmine-reach-libc-"));
        const u = await timed(() => analyzeFile(libc.host, libc.path, { closures: true, cacheDir: c }));
        const k = await timed(() => analyzeFile(libc.host, libc.path, { closures: true, cacheDir: c }));
        const b = objdumpOnly(libc.host);
        libcRows.push({
          buildId: a.code.buildId,
          tree,
          uncachedWall: u.wall,
          uncachedCpu: u.cpu,
          cachedWall: k.wall,
          cachedCpu: k.cpu,
          objdumpWall: b.wall,
          objdumpCpu: b.cpu,
          exports: Object.keys(a.code.exports).length,
          sites: a.code.whole.syscalls.length,
          unknownSites: a.code.unknown.length,
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
    const only = U.map((x) => x.syscall).filter((x) => !m.has(x));
    const named = only.filter((x) => s.has(x));
    rows.push({
      image,
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
    "image      rootfs                                   |M|  |S|  M\\S  unexpl  |S\\M|  U  named  recall  files  cold s (cpu)   warm s (cpu)  objdump-only s (cpu)  cold/objdump",
  );
  for (const r of rows) {
    console.log(
      [
        String(r.image).padEnd(10),
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
      `libc ${String(l.buildId)}: uncached ${f(l.uncachedWall)} s (cpu ${f(l.uncachedCpu)}), cached ${f(l.cachedWall)} s (cpu ${f(l.cachedCpu)}), objdump alone ${f(l.objdumpWall)} s (cpu ${f(l.objdumpCpu)}); uncached/cached ${f((l.uncachedWall as number) / (l.cachedWall as number))}x, uncached/objdump ${f((l.uncachedWall as number) / (l.objdumpWall as number))}x`,
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
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

main_().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
