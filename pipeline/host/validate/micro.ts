/**
 * The syscall micro-benchmark (datasets/record/progs/syscall-bench.c), built with `gcc -static`
 * into the folder that goes into the probe image (`/sandmine-probes/syscall-bench`), and run with
 * `docker exec` in each overhead round's container right after its throughput run, so its rounds
 * are interleaved exactly as the throughput rounds are.
 */
import { join } from "node:path";
import { parseBench, type BenchLine } from "../../../stages/host/micro.ts";
import { PROBE_SOURCES } from "../probes.ts";
import { runOk } from "../proc.ts";
import type { Session } from "../types.ts";

// beside the probes' folder (resolved by probes.ts, which is as deep as the bundle in out/build/)
export const BENCH_SOURCE = join(PROBE_SOURCES, "..", "record", "progs", "syscall-bench.c");
export const BENCH_PATH = "/sandmine-probes/syscall-bench";

/** Compiles the bench into `probesDir/sandmine-probes/`. */
export async function buildBench(probesDir: string): Promise<void> {
  await runOk(
    "gcc",
    ["-static", "-O2", "-Wall", "-o", join(probesDir, "sandmine-probes", "syscall-bench"), BENCH_SOURCE],
    {
      timeout: 300,
    },
  );
}

/** One bench run in the session's container; null when it did not run or printed nothing. */
export async function runBench(s: Session): Promise<BenchLine[] | null> {
  const r = await s.run({ exec: [BENCH_PATH], timeout: 120 });
  const lines = parseBench(r.stdout);
  return lines.length > 0 ? lines : null;
}
