/**
 * scap reading speed against sysdig on the same file, side by side: `sysdig -r FILE -p '%evt.num
 * %evt.type'` (Debian's sysdig 0.29.3) vs our reader alone and our reader + row builder (the
 * dataset's rows: both events of a call joined, kernel values, args_raw, fd_path, phases). The file
 * is curl_google.scap (raw) with its event blocks repeated (1000 times: ~1.5 M events), written to
 * a temp dir. The three are run in turn ROUNDS times and the best of each is kept; wall time and
 * CPU time (user + system, of this process or of sysdig and its pipe) are both reported, since
 * CPU time is less disturbed by other work on the machine.
 * Run: `npx tsx test/bench/scap-bench.ts [repeats] [rounds]` (also part of `npm run bench`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { EVENT_LAYOUTS } from "../../stages/scap/block-ids.ts";
import { walkBlocks } from "../../stages/scap/blocks.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { sharedDatasets } from "../util/datasets.ts";
import { startSummary, times } from "./summary.ts";

const shared = sharedDatasets();
if (shared === null) {
  console.log("scap bench: ../shared/datasets not found, skipped");
  process.exit(0);
}
const finish = startSummary("scap", "npx tsx test/bench/scap-bench.ts");
const repeats = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const src = gunzipSync(readFileSync(join(shared, "scap/falcosecurity-libs/curl_google.scap")));
let firstEvent = -1;
walkBlocks(src, {
  block: (type, offset) => {
    if (firstEvent < 0 && EVENT_LAYOUTS.has(type)) firstEvent = offset;
  },
  reject: () => {},
});
const head = src.subarray(0, firstEvent);
const events = src.subarray(firstEvent);
const file = Buffer.concat([head, ...Array.from({ length: repeats }, () => events)]);
const dir = mkdtempSync(join(tmpdir(), "scap-bench-"));
const path = join(dir, "bench.scap");
writeFileSync(path, file);

/** Wall and CPU seconds of `f`; `children`: count the CPU of the child processes it waited for. */
interface Timing {
  wall: number;
  cpu: number;
}

/** CPU seconds of this process, or of its waited-for children (/proc/self/stat cutime + cstime). */
function cpuNow(children: boolean): number {
  if (!children) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  return (Number(fields[13]) + Number(fields[14])) / ticks; // cutime, cstime (fields 16, 17)
}

function time<T>(f: () => T, children = false): [T, Timing] {
  const c0 = cpuNow(children);
  const t0 = performance.now();
  const r = f();
  const wall = (performance.now() - t0) / 1000;
  return [r, { wall, cpu: cpuNow(children) - c0 }];
}

function best(a: Timing | undefined, b: Timing): Timing {
  return a === undefined ? b : { wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu) };
}

const which = spawnSync("sh", ["-c", "command -v sysdig"], { encoding: "utf8" });
const hasSysdig = which.status === 0;

try {
  let n = 0;
  let rows = 0;
  let lines = 0;
  let tRead: Timing | undefined;
  let tRows: Timing | undefined;
  let tSysdig: Timing | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const [k, a] = time(() => {
      let c = 0;
      readScap(readFileSync(path), () => c++);
      return c;
    });
    n = k;
    tRead = best(tRead, a);
    const [r, b] = time(() => {
      const batch = new EventBatch();
      const p = new ScapParser({ capture: "bench", arch: "x86_64", phase: "unknown" }, batch);
      p.parse(readFileSync(path));
      return batch.toRecordBatch().numRows;
    });
    rows = r;
    tRows = best(tRows, b);
    if (hasSysdig) {
      const [l, c] = time(() => {
        const out = spawnSync("sh", ["-c", `sysdig -r '${path}' -p '%evt.num %evt.type' | wc -l`], {
          encoding: "utf8",
        });
        return Number(out.stdout.trim());
      }, true);
      lines = l;
      tSysdig = best(tSysdig, c);
    }
  }
  const mb = (file.length / 1048576).toFixed(0);
  const rate = (t: Timing) =>
    `${(n / t.wall / 1e6).toFixed(2)} M events/s wall (${t.wall.toFixed(2)} s), ${(n / t.cpu / 1e6).toFixed(2)} M/s CPU (${t.cpu.toFixed(2)} s)`;
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
  console.log(`scap bench: ${n} events, ${mb} MB raw scap, best of ${ROUNDS} rounds, load average ${load}`);
  console.log(`  sandmine reader (decode every event):  ${rate(tRead!)}`);
  console.log(`  sandmine reader + rows (${rows} rows): ${rate(tRows!)}`);
  if (!hasSysdig) console.log("  sysdig: not installed (apt-get install sysdig), skipped");
  else {
    const version = execFileSync("sysdig", ["--version"], { encoding: "utf8" }).trim();
    console.log(`  ${version} -r -p '%evt.num %evt.type' (${lines} lines): ${rate(tSysdig!)}`);
    const ratio = (t: Timing) =>
      `${(tSysdig!.wall / t.wall).toFixed(2)}x wall, ${(tSysdig!.cpu / t.cpu).toFixed(2)}x CPU`;
    console.log(`  speed vs sysdig: reader ${ratio(tRead!)}; reader + rows ${ratio(tRows!)}`);
    const cpuRatio = tSysdig!.cpu / tRows!.cpu;
    finish([
      {
        path: `scap: reader + the dataset's rows, ${(n / 1e6).toFixed(2)} M events (CPU time)`,
        baseline: `${version.replace(/^sysdig version /, "sysdig ")} -r -p '%evt.num %evt.type'`,
        measured: times(cpuRatio),
        target: "≥ 1× (stretch 2×)",
        met: cpuRatio >= 1,
      },
    ]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
