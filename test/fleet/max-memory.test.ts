/**
 * `--max-memory SIZE` (pipeline/memory.ts): sizes read, and the budget reaching DuckDB (each
 * instance's memory_limit) and the ingest workers (SANDMINE_RSS_BUDGET_MB).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Db, setMemoryLimit } from "../../pipeline/duckdb.ts";
import { applyMaxMemory, memoryPlan, parseSize } from "../../pipeline/memory.ts";

describe("--max-memory", () => {
  const before = process.env.SANDMINE_RSS_BUDGET_MB;
  afterEach(() => {
    setMemoryLimit(undefined);
    if (before === undefined) delete process.env.SANDMINE_RSS_BUDGET_MB;
    else process.env.SANDMINE_RSS_BUDGET_MB = before;
  });

  it("reads sizes in bytes, K, M, G (powers of 1024) and refuses others or less than 64M", () => {
    expect(parseSize("512M")).toBe(512 * 1024 ** 2);
    expect(parseSize("1.5g")).toBe(1.5 * 1024 ** 3);
    expect(parseSize("2GiB")).toBe(2 * 1024 ** 3);
    expect(parseSize("134217728")).toBe(128 * 1024 ** 2);
    for (const bad of ["lots", "1T", "-1G", "", "10M"])
      expect(() => parseSize(bad), bad).toThrow(/--max-memory/);
  });

  it("gives DuckDB half the budget split over the instances open at once, the ingest workers 3/4", () => {
    expect(memoryPlan(undefined, 2)).toEqual({ concurrency: 2 });
    expect(memoryPlan("1G", 2)).toEqual({ concurrency: 2, duckdbBytes: 256 * 1024 ** 2, rssBudgetMb: 768 });
  });

  it("each DuckDB instance opened afterwards has that memory_limit; the workers' budget is in the environment", async () => {
    applyMaxMemory("1G", 2);
    expect(process.env.SANDMINE_RSS_BUDGET_MB).toBe("768");
    const db = await Db.open();
    try {
      const [row] = await db.query<{ m: string }>("SELECT current_setting('memory_limit') AS m");
      expect(row!.m).toBe("256.0 MiB");
    } finally {
      db.close();
    }
    setMemoryLimit(undefined);
    const free = await Db.open();
    try {
      const [row] = await free.query<{ m: string }>("SELECT current_setting('memory_limit') AS m");
      expect(row!.m).not.toBe("256.0 MiB");
    } finally {
      free.close();
    }
  });
});
