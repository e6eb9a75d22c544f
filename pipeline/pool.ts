/**
 * The single piscina pool. Workers are TypeScript run through tsx when the sources are not built.
 * The pool is typed by its protocol: a union of tasks told apart by `kind` and a map from each
 * kind to its reply, so `run(task)` returns the reply of that task. Workers return their errors
 * as data (error classes do not survive structured clone); `run` turns them into UsageError.
 */
import { Piscina } from "piscina";
import { UsageError } from "./errors.ts";
import { workerBudget } from "./worker-budget.ts";

/** (re-exported: the commands that start pools import them from here) */
export { checkWorkers, setWorkerBudget } from "./worker-budget.ts";

/** A task for a pool worker: `kind` says which reply it gets. */
export interface PoolTask {
  kind: string;
}

/** What a worker returns for a task: its reply, or the message of the error it threw. */
export type WorkerResult<R> = { ok: true; reply: R } | { ok: false; error: string };

/** A pool whose `run` returns `Replies[kind]` for a task of that kind. */
export interface Pool<Task extends PoolTask, Replies extends { [K in Task["kind"]]: unknown }> {
  /** Runs `task` on a worker; a worker's error rejects with a UsageError carrying its message. */
  run<T extends Task>(task: T): Promise<Replies[T["kind"]]>;
  /** Stops the workers. */
  destroy(): Promise<void>;
}

/** Extra Node options for pool workers, from SANDMINE_WORKER_ARGS (space-separated). */
function workerArgs(): string[] {
  return (process.env.SANDMINE_WORKER_ARGS ?? "").split(" ").filter((a) => a !== "");
}

/**
 * Creates a pool of `workers` threads (fewer under a budget) running `file`, whose default export
 * answers `Task`s.
 */
export function createPool<Task extends PoolTask, Replies extends { [K in Task["kind"]]: unknown }>(
  file: URL,
  workers: number,
): Pool<Task, Replies> {
  const ts = file.pathname.endsWith(".ts");
  const budget = workerBudget();
  const threads = Math.min(workers, budget?.workers ?? workers);
  const piscina = new Piscina({
    filename: file.href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    // SANDMINE_WORKER_ARGS: Node options for the workers only, e.g. "--cpu-prof --cpu-prof-dir=out/prof"
    // (a worker does not inherit the process's --cpu-prof)
    execArgv: [...(ts ? ["--import", "tsx"] : []), ...workerArgs()],
    resourceLimits: {
      // a small young generation keeps each worker's resident memory down (pieces are short-lived)
      maxYoungGenerationSizeMb: Number(process.env.SANDMINE_YOUNG_MB ?? 8),
      ...(budget ? { maxOldGenerationSizeMb: budget.heapMb } : {}),
    },
  });
  return {
    async run<T extends Task>(task: T): Promise<Replies[T["kind"]]> {
      // the one place a worker's answer is typed: the worker answers a T with a Replies[T["kind"]]
      const r = (await piscina.run(task).catch((e: unknown) => {
        if ((e as { code?: string }).code !== "ERR_WORKER_OUT_OF_MEMORY" || !budget) throw e;
        throw new UsageError(
          `--max-memory: a worker needed more than its ${budget.heapMb} MiB heap; give more memory or fewer --workers`,
        );
      })) as WorkerResult<Replies[T["kind"]]>;
      if (!r.ok) throw new UsageError(r.error);
      return r.reply;
    },
    destroy: () => piscina.destroy(),
  };
}
