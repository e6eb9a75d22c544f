/**
 * The cold build's sibling lanes (pipeline/analyze/lanes.ts `onSiblingLanes`): the first items are
 * done when `first` resolves, every item when `all` does, the session's own connection stays free
 * for the caller meanwhile, and a failing item rejects both without an unhandled rejection.
 */
import { describe, expect, it } from "vitest";
import { withDb } from "../../pipeline/duckdb.ts";
import { onSiblingLanes } from "../../pipeline/analyze/lanes.ts";

const count = async (db: { query: <T>(sql: string) => Promise<T[]> }, name: string): Promise<number> => {
  const [r] = await db.query<{ n: bigint }>(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${name}'`,
  );
  return Number(r!.n);
};

describe("onSiblingLanes", () => {
  it("first: the first items done; all: every item, each on a sibling", async () => {
    await withDb(async (db) => {
      const items = Array.from({ length: 6 }, (_, k) => k);
      const lanes = onSiblingLanes(db, 2, items, 2, (lane, k) =>
        lane.exec(`CREATE TABLE t${k} AS SELECT range AS x FROM range(${(k + 1) * 20000})`),
      );
      await lanes.first;
      expect(await count(db, "t0")).toBe(1);
      expect(await count(db, "t1")).toBe(1);
      // the caller's own queries run on db while the lanes go on
      const [r] = await db.query<{ s: bigint }>("SELECT sum(x)::BIGINT AS s FROM t0");
      expect(Number(r!.s)).toBe((20000 * 19999) / 2);
      await lanes.all;
      for (const k of items) expect(await count(db, `t${k}`)).toBe(1);
    }, 1);
  });

  it("a failing item rejects first and all with its error; later items do not start", async () => {
    await withDb(async (db) => {
      const started: number[] = [];
      const lanes = onSiblingLanes(db, 1, [0, 1, 2], 2, async (lane, k) => {
        started.push(k);
        await lane.exec(k === 1 ? "SELECT * FROM no_such_table" : `CREATE TABLE u${k} AS SELECT 1 AS x`);
      });
      await expect(lanes.first).rejects.toThrow(/no_such_table/);
      await expect(lanes.all).rejects.toThrow(/no_such_table/);
      expect(started).toEqual([0, 1]);
      expect(await count(db, "u2")).toBe(0);
    }, 1);
  });
});
