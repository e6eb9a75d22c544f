/**
 * Held-out runs (the paper's false-alarm measure, done offline): for each run k of an image, the
 * profile mined from the other runs replays run k's events; what it would deny is what a profile
 * learned without that run would have broken.
 */
import type { ArgMode } from "../../schemas/profile-report.ts";
import { governedPhases } from "../../stages/profile/facts.ts";
import type { Db } from "../duckdb.ts";
import { checkProfile } from "./check.ts";
import { synthesizeImage } from "./synthesize.ts";

export interface HeldOutRun {
  image: string;
  run: string;
  args: ArgMode;
  /** governed events of run k */
  events: number;
  denied: number;
  /** distinct denied calls (syscall + compared argument values) */
  distinct: number;
  /** syscall names of the denied calls */
  syscalls: string[];
}

/** Leave-one-run-out over the runs of `image`. */
export async function heldOut(
  db: Db,
  dataset: string,
  image: string,
  runs: readonly string[],
  args: ArgMode,
): Promise<HeldOutRun[]> {
  const out: HeldOutRun[] = [];
  for (const run of runs) {
    const [s] = await synthesizeImage(db, {
      dataset,
      image,
      args,
      arches: ["x86_64"],
      withRuntime: true,
      excludeRuns: [run],
    });
    const r = await checkProfile(db, dataset, s!.profile, {
      image,
      runs: [run],
      phases: governedPhases(true),
      limit: 0,
    });
    out.push({
      image,
      run,
      args,
      events: r.checked,
      denied: r.denied,
      distinct: r.calls.length,
      syscalls: [...new Set(r.calls.map((c) => c.syscall))].sort(),
    });
  }
  return out;
}
