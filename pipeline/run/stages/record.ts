/**
 * The record stage: `sandmine record` of the entry's experiment (private dockerd, strace runtime)
 * into a scratch dataset, keeping the raw traces (traces/run-NN/) and the runs' labels (the test
 * windows) in captures.json, so that ingest is a stage of its own: a change in ingest's code
 * re-ingests the traces without recording again. record.json says per run how many tests ran.
 * A test failing while recording fails the stage (it is not published: the next run records again).
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { quoteString, withDb } from "../../duckdb.ts";
import { record } from "../../host/record.ts";
import { HashMemo, filesBelow } from "../hash.ts";
import type { ResolvedEntry, StageContext } from "../types.ts";
import { writeCaptures } from "./captures-file.ts";

export function recordStage(e: ResolvedEntry, id: string) {
  return async (ctx: StageContext): Promise<void> => {
    const scratch = join(ctx.dir, "scratch-dataset");
    const traces = join(ctx.dir, "traces");
    const r = await record(e.experiment!, {
      out: scratch,
      ...(e.runs === undefined ? {} : { runs: e.runs }),
      traces,
      replace: false,
      workers: ctx.workers,
      log: ctx.log,
    });
    const failed = r.runs.flatMap((x) => x.failed.map((f) => `${x.run}: ${f}`));
    if (failed.length > 0) throw new Error(`tests failed while recording: ${failed.join("; ")}`);
    const labels = await withDb((db) =>
      db.query<{ run: string; labels: string }>(
        `SELECT run, labels FROM read_parquet(${quoteString(join(scratch, "runs.parquet"))}) ORDER BY run`,
      ),
    );
    rmSync(scratch, { recursive: true, force: true });
    const memo = new HashMemo();
    writeCaptures(
      ctx.dir,
      labels.map(({ run, labels }) => {
        const dir = join(traces, run);
        return {
          source: `${id}/traces/${run}`,
          path: `traces/${run}`,
          image: e.name,
          run,
          format: "strace" as const,
          labels: JSON.parse(labels) as Record<string, string>,
          files: Object.fromEntries(filesBelow(dir).map((f) => [f.slice(dir.length + 1), memo.hash(f)])),
        };
      }),
    );
    writeFileSync(
      join(ctx.dir, "record.json"),
      JSON.stringify({ image: r.image, runs: r.runs }, null, 1) + "\n",
    );
  };
}
