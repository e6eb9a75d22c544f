/**
 * Held-out runs (the paper's false-alarm measure, done offline): for each run k of an image, the
 * profile mined from the other runs replays run k's events; what it would deny is what a profile
 * learned without that run would have broken.
 */
import type { ArgMode } from "../../schemas/profile-report.ts";
import { governedPhases } from "../../stages/profile/facts.ts";
import type { Db } from "../duckdb.ts";
import type { Synthesized } from "../../stages/profile/synthesize.ts";
import { checkProfile, type CheckResult } from "./check.ts";
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

/**
 * Mines the x86_64 profile of `image` (without `excludeRuns`) and checks it against the events of
 * `runs` (all when absent), with runc's init included.
 */
export async function mineAndCheck(
  db: Db,
  dataset: string,
  image: string,
  args: ArgMode,
  runs?: { exclude?: readonly string[]; check?: readonly string[] },
): Promise<{ synthesized: Synthesized; result: CheckResult }> {
  const [synthesized] = await synthesizeImage(db, {
    dataset,
    image,
    args,
    arches: ["x86_64"],
    withRuntime: true,
    ...(runs?.exclude ? { excludeRuns: runs.exclude } : {}),
  });
  const result = await checkProfile(db, dataset, synthesized!.profile, {
    image,
    phases: governedPhases(true),
    limit: 0,
    ...(runs?.check ? { runs: runs.check } : {}),
  });
  return { synthesized: synthesized!, result };
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
    const { result: r } = await mineAndCheck(db, dataset, image, args, { exclude: [run], check: [run] });
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
