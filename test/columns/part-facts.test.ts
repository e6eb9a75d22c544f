/**
 * partFacts / mergeFacts: the facts the workers give the staging of a run (its time span, distinct
 * tasks and syscalls) are what DuckDB's `min(ts_ns)::VARCHAR, max(ts_ns)::VARCHAR, count(DISTINCT
 * tid), count(DISTINCT syscall)` over the run's events give: checked against the Arrow columns
 * themselves on the bundled redis capture and on hand-made lines (negative and > 2^32 times, nulls).
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { RecordBatch } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { mergeFacts, partFacts, type PartFacts } from "../../stages/columns/part-facts.ts";
import { REPO_ROOT, listFiles } from "../util/datasets.ts";
import { parseToBatch } from "../util/strace-parse.ts";

const parse = (batch: EventBatch, text: string, fileTid: number): RecordBatch =>
  parseToBatch(text, fileTid, batch);

/** The facts read the slow way: every value of the Arrow columns. */
function bruteForce(rb: RecordBatch): PartFacts {
  const ts = rb.getChild("ts_ns")!;
  const tid = rb.getChild("tid")!;
  const syscall = rb.getChild("syscall")!;
  let min: bigint | null = null;
  let max: bigint | null = null;
  const tids = new Set<number>();
  const syscalls = new Set<string>();
  for (let i = 0; i < rb.numRows; i++) {
    const t = ts.get(i) as bigint | null;
    if (t !== null) {
      if (min === null || t < min) min = t;
      if (max === null || t > max) max = t;
    }
    tids.add(tid.get(i) as number);
    syscalls.add(syscall.get(i) as string);
  }
  return {
    rows: rb.numRows,
    tsMin: min === null ? null : String(min),
    tsMax: max === null ? null : String(max),
    tids: [...tids],
    syscalls: [...syscalls],
  };
}

const sorted = (f: PartFacts) => ({
  ...f,
  tids: [...f.tids].sort((a, b) => a - b),
  syscalls: [...f.syscalls].sort(),
});

describe("partFacts", () => {
  it("gives the Arrow columns' span, tasks and syscalls on the bundled redis capture", () => {
    const dir = path.join(REPO_ROOT, "datasets", "captures", "redis", "run-01");
    const files = listFiles(dir).filter((f) => f.endsWith(".gz"));
    expect(files.length).toBeGreaterThan(0);
    const batch = new EventBatch();
    const parts: PartFacts[] = [];
    const all: PartFacts[] = [];
    for (const f of files.slice(0, 8)) {
      const rb = parse(batch, zlib.gunzipSync(fs.readFileSync(f)).toString("latin1"), -1);
      const facts = partFacts(batch, rb);
      expect(sorted(facts)).toEqual(sorted(bruteForce(rb)));
      parts.push(facts);
      all.push(bruteForce(rb));
    }
    expect(sorted(mergeFacts(parts))).toEqual(sorted(mergeFacts(all)));
    expect(parts.some((p) => p.rows > 0 && p.tsMin !== null)).toBe(true);
  });

  it("compares 64-bit times by both halves, skips lines without one, and sees every task", () => {
    // epoch -ttt times: above 2^32 ns, differing in the low half only, and in the high half
    const text = [
      '[pid 12] 1700000000.000000005 read(3, "", 1) = 0',
      "[pid 13] 1700000000.000000004 close(3) = 0",
      "[pid 12] 1600000000.999999999 close(4) = 0",
      "[pid 14] 1800000000.000000000 getpid() = 14",
      "[pid 12] 1700000000.000000006 close(5) = 0",
    ].join("\n");
    const batch = new EventBatch();
    const rb = parse(batch, text + "\n", -1);
    const f = partFacts(batch, rb);
    expect(sorted(f)).toEqual(sorted(bruteForce(rb)));
    expect(f.tsMin).toBe("1600000000999999999");
    expect(f.tsMax).toBe("1800000000000000000");
    expect([...f.tids].sort()).toEqual([12, 13, 14]);
    // no timestamps at all: no span
    const rb2 = parse(batch, 'read(3, "", 1) = 0\nclose(3) = 0\n', 9);
    const g = partFacts(batch, rb2);
    expect(g).toMatchObject({ rows: 2, tsMin: null, tsMax: null, tids: [9] });
    expect(mergeFacts([f, g])).toMatchObject({ rows: 7, tsMin: f.tsMin, tsMax: f.tsMax });
    expect(mergeFacts([])).toEqual({ rows: 0, tsMin: null, tsMax: null, tids: [], syscalls: [] });
  });
});
