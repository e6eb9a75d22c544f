/**
 * scap reading speed against sysdig on the same file, side by side: `sysdig -r FILE -p '%evt.num
 * %evt.type'` (Debian's sysdig 0.29.3) vs our reader alone and our reader + row builder. The file is
 * curl_google.scap (raw) with its event blocks repeated to ~1.5 M events, written to a temp dir.
 * Run: `npx tsx test/bench/scap-bench.ts [repeats]` (also part of `npm run bench`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { EVENT_LAYOUTS } from "../../stages/scap/block-ids.ts";
import { walkBlocks } from "../../stages/scap/blocks.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { sharedDatasets } from "../util/datasets.ts";

const shared = sharedDatasets();
if (shared === null) {
  console.log("scap bench: ../shared/datasets not found, skipped");
  process.exit(0);
}
const repeats = Number(process.argv[2] ?? 1000);
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

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

try {
  const [n, tRead] = time(() => {
    let k = 0;
    readScap(readFileSync(path), () => k++);
    return k;
  });
  const [rows, tRows] = time(() => {
    const batch = new EventBatch();
    const p = new ScapParser({ capture: "bench", arch: "x86_64", phase: "unknown" }, batch);
    p.parse(readFileSync(path));
    return batch.toRecordBatch().numRows;
  });
  const mb = (file.length / 1048576).toFixed(0);
  console.log(`scap bench: ${n} events, ${mb} MB raw scap`);
  console.log(
    `  sandmine reader (decode every event):   ${(n / tRead / 1e6).toFixed(2)} M events/s (${tRead.toFixed(2)} s)`,
  );
  console.log(
    `  sandmine reader + rows (${rows} rows):   ${(n / tRows / 1e6).toFixed(2)} M events/s (${tRows.toFixed(2)} s)`,
  );
  const which = spawnSync("sh", ["-c", "command -v sysdig"], { encoding: "utf8" });
  if (which.status !== 0) console.log("  sysdig: not installed (apt-get install sysdig), skipped");
  else {
    const version = execFileSync("sysdig", ["--version"], { encoding: "utf8" }).trim();
    const [lines, tSysdig] = time(() => {
      const r = spawnSync("sh", ["-c", `sysdig -r '${path}' -p '%evt.num %evt.type' | wc -l`], {
        encoding: "utf8",
      });
      return Number(r.stdout.trim());
    });
    console.log(
      `  ${version} -r -p '%evt.num %evt.type': ${(n / tSysdig / 1e6).toFixed(2)} M events/s (${tSysdig.toFixed(2)} s, ${lines} lines)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
