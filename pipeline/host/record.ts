/**
 * `sandmine record`: runs the experiment's container `runs` times under the strace runtime
 * (runc create and every `docker exec` traced, one file per task), runs its tests (not the use
 * cases: those are for validation) against it, and ingests each run's capture into the dataset with image, run and test labels —
 * `test:NAME` holds the test's window as `START_NS-END_NS` (epoch ns, the clock of strace -ttt).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ingest, type IngestSummary } from "../ingest/ingest.ts";
import { captureFromPath, type CaptureInput } from "../ingest/inputs.ts";
import { withCleanup } from "./cleanup.ts";
import { Docker } from "./docker.ts";
import { startEngine, waitFilesClosed } from "./dockerd.ts";
import type { LoadedExperiment } from "./experiment-file.ts";
import { buildImage } from "./images.ts";
import { runTest, startSession } from "./session.ts";

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

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

export async function record(le: LoadedExperiment, o: RecordOptions): Promise<RecordResult> {
  const { exp } = le;
  const runs = o.runs ?? exp.runs ?? 1;
  return withCleanup(o.log, async (cleanup) => {
    const engine = await startEngine(cleanup, { strace: true, log: o.log });
    const docker = new Docker(engine, cleanup);
    const image = await buildImage(docker, cleanup, exp.image, le.base, o.log);
    let traceRoot: string;
    if (o.traces) {
      traceRoot = o.traces;
      mkdirSync(traceRoot, { recursive: true });
    } else {
      traceRoot = mkdtempSync("/var/tmp/sandmine-traces.");
      cleanup.add(`remove ${traceRoot}`, () => rmSync(traceRoot, { recursive: true, force: true }));
    }
    const target = join(engine.state!, "trace-target");
    const captures: CaptureInput[] = [];
    const summary: RecordResult["runs"] = [];
    for (let k = 1; k <= runs; k++) {
      const run = `run-${String(k).padStart(2, "0")}`;
      const dir = join(traceRoot, run);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(target, dir + "\n");
      const labels: Record<string, string> = { experiment: exp.name, image_ref: exp.image.name };
      const failed: string[] = [];
      let n = 0;
      try {
        // under the runtime's default profile: the capture then shows where runc init loads a filter,
        // which is how ingest tells the runtime phase from the container's own calls
        const s = await startSession(
          docker,
          exp.container ?? {},
          image,
          { kind: "default" },
          {
            runtime: engine.straceRuntime!,
          },
        );
        labels.started_ns = String(BigInt(s.started) * 1_000_000n);
        try {
          // only the tests: use cases are what validation checks the profile against
          for (const t of exp.tests) {
            const t0 = nowNs();
            const r = await runTest(s, t, "test");
            labels[`test:${t.name}`] = `${t0}-${nowNs()}`;
            n++;
            if (!r.passed) failed.push(`${t.name} (${r.reason})`);
          }
        } finally {
          await s.stop();
        }
      } finally {
        writeFileSync(target, "");
      }
      if (!(await waitFilesClosed(dir, 60)))
        throw new Error(`${run}: strace still writing ${dir} after 60 s`);
      const files = readdirSync(dir).length;
      if (files === 0) throw new Error(`${run}: no trace files (did the strace runtime run?)`);
      if (failed.length > 0) o.log(`${run}: tests failed while recording: ${failed.join("; ")}`);
      o.log(`${run}: ${n} tests, ${files} task files`);
      labels.tests_failed = String(failed.length);
      captures.push(captureFromPath(dir, { image: exp.name, run, format: "strace", labels }));
      summary.push({ run, tests: n, failed, files });
    }
    const ing = await ingest({
      captures,
      out: o.out,
      workers: o.workers,
      arch: "x86_64",
      replace: o.replace,
      quiet: true,
    });
    return { image: exp.name, runs: summary, ingest: ing };
  });
}
