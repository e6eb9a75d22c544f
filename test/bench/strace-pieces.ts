/**
 * In-process harness for profiling the strace parse path (no pool, no scan pass): cuts one capture
 * file into ingest's pieces and, per piece, reads it, parses it into an EventBatch, finishes the
 * columns and encodes Parquet (not written) with the ingest's writer (events-parquet.ts), or with
 * parquet-wasm from an Arrow batch (`wasm`, the encoder it replaced). Prints the time of each step.
 *
 *   npx tsx test/bench/strace-pieces.ts FILE [MiB=64] [scan|scantext|parse|noparquet|all|wasm]
 * (scan: the worker's scan of the bytes in windows; scantext: the scan of the whole text it replaced)
 *   node --cpu-prof --cpu-prof-dir=out/prof --import tsx test/bench/strace-pieces.ts FILE 64
 */
import { statSync } from "node:fs";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { StraceParser } from "../../stages/strace/parser.ts";
import { scanBytes, scanText } from "../../stages/strace/scan.ts";
import { toParquet } from "../../pipeline/parquet.ts";
import { eventsToParquet } from "../../pipeline/events-parquet.ts";
import { loadZstd } from "../../pipeline/zstd.ts";
import { planPieces } from "../../pipeline/ingest/plan.ts";
import { readPiece } from "../../pipeline/ingest/read-piece.ts";

const [file, mib = "64", what = "all"] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: strace-pieces.ts FILE [MiB] [scan|scantext|parse|noparquet|all|wasm]\n");
  process.exit(2);
}
const limit = Number(mib) * 1048576;
const pieces = planPieces(file, statSync(file).size).filter((p) => p.byteStart < limit);
const t = { read: 0, scan: 0, parse: 0, batch: 0, parquet: 0 };
let lines = 0;
let events = 0;
let bytesOut = 0;
let firstLine = 1;
// one batch for all pieces, as a worker keeps one
const batch = new EventBatch();
await loadZstd();
const t00 = performance.now();
const cpu0 = process.cpuUsage();
const cpuMs = () => {
  const c = process.cpuUsage(cpu0);
  return (c.user + c.system) / 1000;
};
const cpu = { parse: 0, parquet: 0 };
for (const piece of pieces) {
  let t0 = performance.now();
  const d = readPiece(piece, false);
  t.read += performance.now() - t0;
  if (what === "scan" || what === "scantext" || what === "all") {
    t0 = performance.now();
    const r = what === "scantext" ? scanText(d.text, firstLine, 25460) : scanBytes(d.bytes, firstLine, 25460);
    t.scan += performance.now() - t0;
    if (what !== "all") {
      lines += r.lines;
      firstLine += r.lines;
      continue;
    }
  }
  t0 = performance.now();
  let c0 = cpuMs();
  batch.reset();
  const parser = new StraceParser(
    {
      capture: "trace.25460",
      fileTid: 25460,
      firstLine,
      startDay: 0,
      defaultState: { pos: -Infinity, phase: "workload", comm: "redis-server", arch: "x86_64" },
      timelines: new Map(),
      atEof: piece.atEof,
    },
    batch,
  );
  const n = parser.parseBytes(d.bytes, d.hasHighBytes);
  parser.finish();
  lines += n;
  firstLine += n;
  events += parser.events;
  t.parse += performance.now() - t0;
  cpu.parse += cpuMs() - c0;
  t0 = performance.now();
  const columns = what === "wasm" ? batch.toRecordBatch() : batch.parquetColumns();
  t.batch += performance.now() - t0;
  if (what === "noparquet") continue;
  t0 = performance.now();
  c0 = cpuMs();
  bytesOut += (Array.isArray(columns) ? eventsToParquet(columns, batch.length) : toParquet(columns)).length;
  t.parquet += performance.now() - t0;
  cpu.parquet += cpuMs() - c0;
}
const total = performance.now() - t00;
const ms = (x: number) => `${x.toFixed(0)} ms`;
process.stdout.write(
  `${pieces.length} pieces, ${lines} lines, ${events} events, ${(bytesOut / 1048576).toFixed(1)} MiB parquet; ` +
    `total ${ms(total)}: read ${ms(t.read)} scan ${ms(t.scan)} parse ${ms(t.parse)} batch ${ms(t.batch)} parquet ${ms(t.parquet)}; ` +
    `${((total * 1000) / Math.max(lines, 1)).toFixed(2)} us/line; CPU ${ms(cpuMs())}: parse ${ms(cpu.parse)} parquet ${ms(cpu.parquet)} ` +
    `(${((cpu.parse * 1000) / Math.max(lines, 1)).toFixed(2)} + ${((cpu.parquet * 1000) / Math.max(lines, 1)).toFixed(2)} us/line)\n`,
);
