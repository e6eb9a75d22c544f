/**
 * `sandmine record`: the experiment's runs recorded under strace (record-traces.ts), then each
 * run's capture ingested into the dataset with image, run and test labels.
 */
import { ingest, type IngestSummary } from "../ingest/ingest.ts";
import { captureFromPath } from "../ingest/inputs.ts";
import { withCleanup } from "./cleanup.ts";
import { ownedTempDir } from "./owned-temp.ts";
import type { LoadedExperiment } from "./experiment-file.ts";
import { recordTraces } from "./record-traces.ts";

export interface RecordOptions {
  out: string;
  runs?: number;
  /** keep the raw strace files here (default: a temp folder removed after ingest). */
  traces?: string;
  replace: boolean;
  workers: number;
  log: (s: string) => void;
}

export interface RecordResult {
  image: string;
  runs: { run: string; tests: number; failed: string[]; files: number }[];
  ingest: IngestSummary;
}

export async function record(le: LoadedExperiment, o: RecordOptions): Promise<RecordResult> {
  const { exp } = le;
  return withCleanup(o.log, async (cleanup) => {
    let traceRoot: string;
    if (o.traces) traceRoot = o.traces;
    else {
      const tmp = ownedTempDir(cleanup, "traces");
      traceRoot = tmp;
    }
    const runs = await recordTraces(le, o.runs ?? exp.runs ?? 1, traceRoot, cleanup, o.log);
    const ing = await ingest({
      captures: runs.map((r) =>
        captureFromPath(r.dir, { image: exp.name, run: r.run, format: "strace", labels: r.labels }),
      ),
      out: o.out,
      workers: o.workers,
      arch: "x86_64",
      replace: o.replace,
      quiet: true,
    });
    return {
      image: exp.name,
      runs: runs.map(({ run, tests, failed, files }) => ({ run, tests, failed, files })),
      ingest: ing,
    };
  });
}
