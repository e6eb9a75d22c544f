/**
 * `--max-memory SIZE` (pipeline/memory.ts): sizes read; the plan (images at once, ingest workers,
 * DuckDB's memory_limit and threads, the workers' heap); the budget reaching DuckDB
 * (`current_setting`) and the pool (a worker's heap limit, from inside the worker); a budget below
 * one unit of work refused with a clear error, by the command too.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Db, setMemoryLimit } from "../../pipeline/duckdb.ts";
import { applyMaxMemory, memoryPlan, parseSize } from "../../pipeline/memory.ts";
import { createPool, setWorkerBudget } from "../../pipeline/pool.ts";

const MIB = 1024 ** 2;

describe("--max-memory", () => {
  const before = process.env.SANDMINE_RSS_BUDGET_MB;
  afterEach(() => {
    setMemoryLimit(undefined);
    setWorkerBudget(undefined);
    if (before === undefined) delete process.env.SANDMINE_RSS_BUDGET_MB;
    else process.env.SANDMINE_RSS_BUDGET_MB = before;
  });

  it("reads sizes in bytes, K, M, G (powers of 1024) and refuses others or less than 64M", () => {
    expect(parseSize("512M")).toBe(512 * MIB);
    expect(parseSize("1.5g")).toBe(1.5 * 1024 ** 3);
    expect(parseSize("2GiB")).toBe(2 * 1024 ** 3);
    expect(parseSize("134217728")).toBe(128 * MIB);
    for (const bad of ["lots", "1T", "-1G", "", "10M"])
      expect(() => parseSize(bad), bad).toThrow(/--max-memory/);
  });

  it("analysis: lanes of at least 128 MiB past the process's 128 MiB, half of each to its DuckDB", () => {
    expect(memoryPlan(undefined, 2)).toEqual({ concurrency: 2 });
    expect(memoryPlan("1G", 2)).toEqual({
      concurrency: 2,
      duckdbBytes: 224 * MIB,
      duckdbThreads: 3,
      rssBudgetMb: 768,
    });
    // a smaller budget: fewer images at once than --workers
    expect(memoryPlan("512M", 4)).toMatchObject({ concurrency: 3, duckdbBytes: 64 * MIB, duckdbThreads: 1 });
    expect(memoryPlan("300M", 4).concurrency).toBe(1);
    expect(() => memoryPlan("250M", 2)).toThrow(
      /below what one image at a time needs \(256 MiB.*at least 256M/,
    );
  });

  it("ingest: workers of at least 96 MiB in 3/4 of it, their heap capped, 1/4 to DuckDB", () => {
    const p = memoryPlan("1G", 8, "ingest");
    expect(p.concurrency).toBe(7); // 896 MiB × 3/4 = 672 MiB = 7 × 96
    expect(p.workerHeapMb).toBe(57);
    expect(p.duckdbBytes).toBe(224 * MIB);
    expect(memoryPlan("1G", 2, "ingest").workerHeapMb).toBe(201);
    expect(() => memoryPlan("200M", 2, "ingest")).toThrow(/below what one ingest worker needs \(256 MiB/);
  });

  it("each DuckDB instance opened afterwards has that memory_limit and threads; the workers' budget is in the environment", async () => {
    applyMaxMemory("1G", 2);
    expect(process.env.SANDMINE_RSS_BUDGET_MB).toBe("768");
    const db = await Db.open();
    try {
      const [row] = await db.query<{ m: string; t: bigint; d: string }>(
        "SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t, current_setting('temp_directory') AS d",
      );
      expect(row!.m).toBe("224.0 MiB");
      expect(Number(row!.t)).toBe(Math.min(3, (await import("node:os")).availableParallelism()));
      expect(row!.d).toContain(tmpdir()); // spills out of the cwd
    } finally {
      db.close();
    }
    setMemoryLimit(undefined);
    const free = await Db.open();
    try {
      const [row] = await free.query<{ m: string }>("SELECT current_setting('memory_limit') AS m");
      expect(row!.m).not.toBe("224.0 MiB");
    } finally {
      free.close();
    }
  });

  it("the pool's workers get the budget's count and heap limit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandmine-pool-"));
    try {
      const file = join(dir, "w.mjs");
      // answers with this worker's heap limit and thread id
      writeFileSync(
        file,
        `import { getHeapStatistics } from "node:v8"; import { threadId } from "node:worker_threads";
         export default async () => { await new Promise((r) => setTimeout(r, 50));
           return { ok: true, reply: { limit: getHeapStatistics().heap_size_limit, id: threadId } }; };`,
      );
      applyMaxMemory("512M", 8, "ingest"); // 384 × 3/4 = 288 MiB: 3 workers of 57 MiB old space
      const pool = createPool<{ kind: "x" }, { x: { limit: number; id: number } }>(
        new URL(`file://${file}`),
        8,
      );
      try {
        const replies = await Promise.all(Array.from({ length: 12 }, () => pool.run({ kind: "x" })));
        expect(new Set(replies.map((r) => r.id)).size).toBeLessThanOrEqual(3);
        // V8's limit is the old space plus the young generation's semi-spaces
        for (const r of replies) expect(r.limit / MIB).toBeLessThan(57 + 3 * 8 + 8);
      } finally {
        await pool.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a command refuses a budget below one image's need before reading anything", () => {
    const r = spawnSync(
      process.execPath,
      ["pipeline/launch.mjs", "cli", "characterize", "/nonexistent", "--all-images", "--max-memory", "150M"],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--max-memory 150M: below what one image at a time needs/);
  });
});
