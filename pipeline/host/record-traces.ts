/**
 * The recording half of `sandmine record`: runs the experiment's container `runs` times under the
 * strace runtime (runc create and every `docker exec` traced, one file per task) and its tests
 * (not the use cases: those are for validation), keeping each run's raw strace files with its
 * labels — `test:NAME` holds the test's window as `START_NS-END_NS` (epoch ns, the clock of
 * strace -ttt). No ingest here: the study's record stage keys on this module's imports, so a
 * change in ingest's code must not reach it (ingest of the traces is a stage of its own).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Cleanup } from "./cleanup.ts";
import { Docker } from "./docker.ts";
import { startEngine, waitFilesClosed } from "./dockerd.ts";
import type { LoadedExperiment } from "./experiment-file.ts";
import { buildImage } from "./images.ts";
import { runTest, startSession } from "./session.ts";

export interface RecordedRun {
  run: string;
  tests: number;
  failed: string[];
  files: number;
  /** the run's raw strace files */
  dir: string;
  labels: Record<string, string>;
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

export async function recordTraces(
  le: LoadedExperiment,
  runs: number,
  traceRoot: string,
  cleanup: Cleanup,
  log: (s: string) => void,
): Promise<RecordedRun[]> {
  const { exp } = le;
  const engine = await startEngine(cleanup, { strace: true, log });
  const docker = new Docker(engine, cleanup);
  const image = await buildImage(docker, cleanup, exp.image, le.base, log);
  mkdirSync(traceRoot, { recursive: true });
  const target = join(engine.state!, "trace-target");
  const summary: RecordedRun[] = [];
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
    if (!(await waitFilesClosed(dir, 60))) throw new Error(`${run}: strace still writing ${dir} after 60 s`);
    const files = readdirSync(dir).length;
    if (files === 0) throw new Error(`${run}: no trace files (did the strace runtime run?)`);
    if (failed.length > 0) log(`${run}: tests failed while recording: ${failed.join("; ")}`);
    log(`${run}: ${n} tests, ${files} task files`);
    labels.tests_failed = String(failed.length);
    summary.push({ run, tests: n, failed, files, dir, labels });
  }
  return summary;
}
