/**
 * `sandmine enqueue`: puts one job per capture of a manifest on the queue and, unless detached,
 * waits until every job is done or failed for good, showing jobs done / total.
 *
 * Enqueuing is idempotent: a job's id is its manifest entry's image and run and a hash of its
 * content key and dataset (job.ts), and BullMQ adds an id once. Enqueued again, a capture whose
 * run the dataset holds with the same content is not enqueued at all; one whose job is waiting or
 * running is waited for; one whose job finished (failed for good, or completed but its run is not
 * in the dataset, e.g. the dataset was removed) is put back on the queue.
 */
import { existsSync } from "node:fs";
import { Queue, type Job } from "bullmq";
import { UsageError } from "../errors.ts";
import { captureKeyOf } from "../ingest/content-key.ts";
import type { CaptureInput } from "../ingest/inputs.ts";
import { partitionDir } from "../ingest/partitions.ts";
import { checkGivenTwice } from "../ingest/publish.ts";
import { conflictMessage } from "../dataset/commit.ts";
import { readRecord } from "../dataset/record.ts";
import { Progress } from "../progress.ts";
import { reachable, redisConnection } from "./connection.ts";
import { JOB_NAME, jobData, jobId, type JobParams, type JobResult } from "./job.ts";

export interface EnqueueOptions {
  captures: readonly CaptureInput[];
  /** the dataset, an absolute path every worker sees */
  out: string;
  params: JobParams;
  url: string;
  name: string;
  /** tries per job (a worker that dies mid-job does not use one up: that is a stall) */
  attempts: number;
  /** wait for every job to finish */
  wait: boolean;
  quiet: boolean;
  /** how often the enqueuer asks Redis how its jobs are doing */
  pollMs?: number;
}

export interface JobOutcome {
  id: string;
  image: string;
  run: string;
  source: string;
}

export interface EnqueueSummary {
  queue: string;
  /** jobs added now */
  added: number;
  /** jobs already waiting or running (another enqueue added them) */
  queued: number;
  /** finished jobs put back on the queue */
  requeued: number;
  /** captures the dataset holds with the same content: no job */
  unchanged: JobOutcome[];
  /** with `wait`: jobs done, with what the worker reported */
  done: (JobOutcome & { result: JobResult })[];
  /** with `wait`: jobs failed for good, with the reason and the attempts made */
  failed: (JobOutcome & { reason: string; attempts: number })[];
  /** with `wait`: seconds from the first job queued to the last one finished */
  seconds: number;
}

/** Keep finished jobs a week: an enqueue of the same manifest meanwhile finds them. */
const KEEP = { age: 7 * 24 * 3600 };

/** Whether the dataset holds `c`'s run with content key `key`; UsageError if with another (unless replace). */
function committed(out: string, c: CaptureInput, key: string, replace: boolean): boolean {
  const dir = partitionDir(out, c);
  if (!existsSync(dir)) return false;
  const there = readRecord(dir);
  if (there?.record.key === key) return true;
  if (!replace) throw new UsageError(conflictMessage(out, c, there?.record ?? null));
  return false;
}

export async function enqueue(o: EnqueueOptions): Promise<EnqueueSummary> {
  checkGivenTwice(o.captures);
  const keyParams = { arch: o.params.arch, sysdigFormat: o.params.sysdigFormat ?? undefined };
  const summary: EnqueueSummary = {
    queue: o.name,
    added: 0,
    queued: 0,
    requeued: 0,
    unchanged: [],
    done: [],
    failed: [],
    seconds: 0,
  };
  await reachable(o.url); // before hashing every capture: a wrong URL is told at once
  const todo: { outcome: JobOutcome; capture: CaptureInput; key: string }[] = [];
  for (const c of o.captures) {
    const key = await captureKeyOf(c, keyParams);
    const outcome = { id: jobId(c, key, o.out), image: c.image, run: c.run, source: c.source };
    if (committed(o.out, c, key, o.params.replace)) summary.unchanged.push(outcome);
    else todo.push({ outcome, capture: c, key });
  }
  const queue = new Queue(o.name, { connection: redisConnection(o.url) });
  let lastError = "";
  queue.on("error", (e) => {
    if (e.message !== lastError && !o.quiet) process.stderr.write(`enqueue: redis: ${e.message}\n`);
    lastError = e.message;
  });
  try {
    for (const t of todo) {
      const existing = await queue.getJob(t.outcome.id);
      const state = existing ? await existing.getState() : "unknown";
      if (existing && (state === "completed" || state === "failed")) {
        await existing.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
        summary.requeued++;
      } else if (existing && state !== "unknown") {
        summary.queued++;
      } else {
        // another enqueuer may add the same id meanwhile: BullMQ then keeps the one job
        await queue.add(JOB_NAME, jobData(t.capture, t.key, o.out, o.params), {
          jobId: t.outcome.id,
          attempts: o.attempts,
          backoff: { type: "exponential", delay: 2000 },
          removeOnComplete: KEEP,
          removeOnFail: KEEP,
        });
        summary.added++;
      }
    }
    if (!o.quiet)
      process.stderr.write(
        `enqueued ${todo.length} job(s) on ${o.name}: ${summary.added} new, ${summary.queued} already queued, ` +
          `${summary.requeued} put back; ${summary.unchanged.length} capture(s) unchanged in the dataset\n`,
      );
    if (o.wait)
      await waitForJobs(
        queue,
        todo.map((t) => t.outcome),
        summary,
        o,
      );
    return summary;
  } finally {
    await queue.close();
  }
}

/** Polls the jobs' states until each is completed or failed for good, with a progress display. */
async function waitForJobs(
  queue: Queue,
  jobs: readonly JobOutcome[],
  summary: EnqueueSummary,
  o: EnqueueOptions,
): Promise<void> {
  const progress = new Progress("jobs", jobs.length, o.quiet || jobs.length === 0);
  const t0 = performance.now();
  let pending = [...jobs];
  while (pending.length > 0) {
    const states = await Promise.all(pending.map((j) => queue.getJobState(j.id)));
    const still: JobOutcome[] = [];
    for (const [i, j] of pending.entries()) {
      const state = states[i]!;
      if (state === "completed" || state === "failed") {
        const job = (await queue.getJob(j.id)) as Job<unknown, JobResult> | undefined;
        if (state === "completed" && job) summary.done.push({ ...j, result: job.returnvalue });
        else
          summary.failed.push({
            ...j,
            reason: job?.failedReason || "failed (no reason kept)",
            attempts: job?.attemptsMade ?? 0,
          });
      } else if (state === "unknown") {
        summary.failed.push({ ...j, reason: "the job was removed from the queue", attempts: 0 });
      } else still.push(j);
    }
    pending = still;
    const finished = jobs.length - pending.length;
    progress.update(
      finished,
      progressDetail(summary, finished, jobs.length, (performance.now() - t0) / 1000),
    );
    if (pending.length > 0) await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
  }
  summary.seconds = (performance.now() - t0) / 1000;
  const order = new Map(jobs.map((j, i) => [j.id, i]));
  const byManifest = (a: JobOutcome, b: JobOutcome) => order.get(a.id)! - order.get(b.id)!;
  summary.done.sort(byManifest);
  summary.failed.sort(byManifest);
}

/** `1234 events, 1 failed, ETA 2m05s`: events the finished jobs read, and the time left at the rate so far. */
function progressDetail(s: EnqueueSummary, finished: number, total: number, seconds: number): string {
  const events = s.done.reduce((n, d) => n + (d.result.unchanged ? 0 : d.result.events), 0);
  const parts = [`${events} events`];
  if (s.failed.length > 0) parts.push(`${s.failed.length} failed`);
  if (finished > 0 && finished < total) {
    const left = Math.round((seconds / finished) * (total - finished));
    parts.push(
      `ETA ${left < 60 ? `${left}s` : `${Math.floor(left / 60)}m${String(left % 60).padStart(2, "0")}s`}`,
    );
  }
  return parts.join(", ");
}
