/**
 * `sandmine worker`: takes ingest jobs off the queue one at a time and ingests each capture into
 * its dataset through the ordinary ingest (pipeline/ingest/ingest.ts), so each run is committed
 * by the dataset's commit protocol: visible in one atomic step, safe beside any number of other
 * writers, and a capture whose run is already committed with the same content is "unchanged".
 *
 * That is what makes retries exact. A worker that dies mid-job (SIGKILL, OOM, a lost machine)
 * stops renewing its job's lock; after `lockSeconds` another worker's stalled-job check puts the
 * job back, and whoever takes it either ingests the capture (nothing of the dead attempt is
 * visible: its staging folder is recovered by the next ingest) or finds it committed. A job that
 * cannot succeed (bad input, a conflicting run, files changed since they were enqueued) fails at
 * once with its reason (UnrecoverableError); anything else is retried up to the job's attempts.
 */
import { hostname } from "node:os";
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { messageOf, UsageError } from "../errors.ts";
import { captureKeyOf } from "../ingest/content-key.ts";
import { ingest } from "../ingest/ingest.ts";
import { reachable, redisConnection } from "./connection.ts";
import { JOB_VERSION, jobShape, type JobData, type JobResult } from "./job.ts";

export interface WorkOptions {
  url: string;
  name: string;
  /** ingest worker threads per job */
  workers: number;
  /** how long a job's lock lasts without renewal: how soon a dead worker's job is taken again */
  lockSeconds: number;
  /** exit once the queue holds no waiting, delayed or active job */
  drain: boolean;
  quiet: boolean;
}

/** How often a job may lose its worker before it fails for good ("stalled more than allowable limit"). */
export const MAX_STALLED = 2;

const who = `${hostname()}/${process.pid}`;

/** The job's data, checked; a job of another shape or version fails for good. */
function dataOf(job: Job): JobData {
  const r = jobShape.safeParse(job.data);
  if (r.success) return r.data;
  const v = (job.data as { version?: unknown } | null)?.version;
  if (v !== JOB_VERSION)
    throw new UnrecoverableError(`job format ${String(v)}, this worker reads ${JOB_VERSION}`);
  throw new UnrecoverableError(
    `job data: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
}

/** Ingests the job's capture; throws UnrecoverableError for what a retry cannot change. */
async function runJob(job: Job, o: WorkOptions): Promise<JobResult> {
  const d = dataOf(job);
  const params = { arch: d.params.arch, sysdigFormat: d.params.sysdigFormat ?? undefined };
  let key: string;
  try {
    key = await captureKeyOf(d.capture, params);
  } catch (e) {
    throw new UnrecoverableError(
      `${d.capture.source}: not readable on ${hostname()} (${messageOf(e)}); every worker must see the captures at the paths they were enqueued with`,
    );
  }
  if (key !== d.key)
    throw new UnrecoverableError(
      `${d.capture.source}: its files changed since it was enqueued; enqueue it again`,
    );
  try {
    const s = await ingest({
      captures: [d.capture],
      out: d.out,
      workers: o.workers,
      arch: d.params.arch,
      replace: d.params.replace,
      quiet: true,
      sysdigFormat: d.params.sysdigFormat ?? undefined,
      maxRejectShare: d.params.maxRejectShare,
    });
    return {
      unchanged: s.runs.length === 0,
      events: s.events,
      rejected: s.rejected,
      lines: s.lines,
      files: s.files,
      bytes: s.bytes,
      seconds: s.seconds,
      worker: who,
    };
  } catch (e) {
    // bad input, or a run another writer committed with other content: the same every time
    if (e instanceof UsageError) throw new UnrecoverableError(e.message);
    throw e;
  }
}

/** What one worker did before it exited (`sandmine worker --json`). */
export interface WorkSummary {
  /** jobs this worker completed (committed, or found already committed with the same content) */
  done: number;
  unchanged: number;
  /** attempts of this worker that failed (retried by BullMQ up to the job's attempts) */
  failed: number;
  events: number;
  seconds: number;
}

/** Takes jobs until SIGTERM/SIGINT (finishing the job in hand) or, with `drain`, until the queue is empty. */
export async function work(o: WorkOptions): Promise<WorkSummary> {
  const t0 = performance.now();
  const summary: WorkSummary = { done: 0, unchanged: 0, failed: 0, events: 0, seconds: 0 };
  await reachable(o.url);
  const connection = redisConnection(o.url);
  const log = (line: string) => {
    if (!o.quiet) process.stderr.write(`worker ${who}: ${line}\n`);
  };
  const worker = new Worker<unknown, JobResult>(o.name, (job) => runJob(job, o), {
    connection,
    autorun: false,
    concurrency: 1,
    lockDuration: o.lockSeconds * 1000,
    stalledInterval: o.lockSeconds * 1000,
    maxStalledCount: MAX_STALLED,
  });
  const queue = new Queue(o.name, { connection });
  let lastError = "";
  const onError = (e: Error) => {
    if (e.message !== lastError) log(`redis: ${e.message}`);
    lastError = e.message;
  };
  worker.on("error", onError);
  queue.on("error", onError);
  worker.on("active", (job) =>
    log(
      `${job.id}: started (attempt ${job.attemptsStarted}${job.stalledCounter > 0 ? `, after ${job.stalledCounter} stalled` : ""})`,
    ),
  );
  worker.on("completed", (job, r) => {
    summary.done++;
    if (r.unchanged) summary.unchanged++;
    summary.events += r.events;
    log(`${job.id}: ${r.unchanged ? "unchanged" : `done, ${r.events} events`} in ${r.seconds.toFixed(2)} s`);
  });
  worker.on("failed", (job, e) => {
    summary.failed++;
    log(`${job?.id ?? "?"}: failed: ${e.message}`);
  });
  worker.on("stalled", (id) => log(`${id}: its worker stopped answering; put back on the queue`));

  const stop = (signal: string) => {
    log(`${signal}: finishing the job in hand, then exiting`);
    void worker.close();
  };
  const onTerm = () => stop("SIGTERM");
  const onInt = () => stop("SIGINT");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  let drainTimer: NodeJS.Timeout | undefined;
  try {
    log(`taking jobs from ${o.name} at ${o.url}`);
    if (o.drain) {
      // the killed worker's job counts as active until a stalled check puts it back: keep waiting
      const check = async () => {
        const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized", "paused");
        if (Object.values(counts).every((n) => n === 0)) {
          log("queue empty: exiting");
          await worker.close();
        } else drainTimer = setTimeout(() => void check().catch(onError), 1000);
      };
      drainTimer = setTimeout(() => void check().catch(onError), 1000);
    }
    await worker.run();
  } finally {
    clearTimeout(drainTimer);
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
    await worker.close();
    await queue.close();
  }
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}
