/**
 * The record stage: the entry's experiment recorded (private dockerd, strace runtime), keeping the
 * raw traces (traces/run-NN/) and the runs' labels (the test windows) in captures.json, so that
 * ingest is a stage of its own. This module reaches no ingest or DuckDB code (record-traces.ts):
 * its code version is the recorder's, so a change in ingest re-ingests the traces without
 * recording again. record.json says per run how many tests ran. A test failing while recording
 * fails the stage (it is not published: the next run records again).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { withCleanup } from "../../host/cleanup.ts";
import { recordTraces } from "../../host/record-traces.ts";
import { HashMemo, filesBelow } from "../hash.ts";
import type { ResolvedEntry, StageContext } from "../types.ts";
import { writeCaptures } from "./captures-file.ts";

export function recordStage(e: ResolvedEntry, id: string) {
  return async (ctx: StageContext): Promise<void> => {
    const le = e.experiment!;
    const traces = join(ctx.dir, "traces");
    const runs = await withCleanup(ctx.log, (cleanup) =>
      recordTraces(le, e.runs ?? le.exp.runs ?? 1, traces, cleanup, ctx.log),
    );
    const failed = runs.flatMap((x) => x.failed.map((f) => `${x.run}: ${f}`));
    if (failed.length > 0) throw new Error(`tests failed while recording: ${failed.join("; ")}`);
    const memo = new HashMemo();
    writeCaptures(
      ctx.dir,
      runs.map(({ run, labels, dir }) => ({
        source: `${id}/traces/${run}`,
        path: `traces/${run}`,
        image: e.name,
        run,
        format: "strace" as const,
        labels,
        files: Object.fromEntries(filesBelow(dir).map((f) => [f.slice(dir.length + 1), memo.hash(f)])),
      })),
    );
    writeFileSync(
      join(ctx.dir, "record.json"),
      JSON.stringify(
        { image: e.name, runs: runs.map(({ run, tests, failed, files }) => ({ run, tests, failed, files })) },
        null,
        1,
      ) + "\n",
    );
  };
}
