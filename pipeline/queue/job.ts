/**
 * One queue job: one capture of a manifest, to be ingested into one dataset. The job carries
 * everything a worker needs (absolute paths: every worker must see the captures and the dataset
 * at the same paths, as on a shared filesystem), and the capture's content key, so that a worker
 * refuses a capture whose files changed after it was enqueued. Jobs come back from Redis as
 * plain JSON: a worker checks them with `jobShape` before use.
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { CAPTURE_FORMATS } from "../../schemas/captures-manifest.ts";
import type { CaptureInput } from "../ingest/inputs.ts";

/** The BullMQ job name of an ingest job. */
export const JOB_NAME = "ingest";

/** Bumped when the job's data changes shape: a worker refuses jobs of another version. */
export const JOB_VERSION = 1;

/** The ingest options a job carries (those `sandmine ingest` takes that change the dataset). */
export interface JobParams {
  arch: string;
  sysdigFormat: string | null;
  replace: boolean;
  maxRejectShare: number;
}

export const jobShape = z.object({
  version: z.literal(JOB_VERSION),
  out: z.string().min(1),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  capture: z.object({
    image: z.string().min(1),
    imageGiven: z.boolean(),
    run: z.string().min(1),
    source: z.string(),
    format: z.enum(CAPTURE_FORMATS),
    labels: z.record(z.string(), z.string()),
    files: z
      .array(
        z.object({
          path: z.string().min(1),
          name: z.string().min(1),
          tid: z.number().int(),
          size: z.number().int().min(0),
        }),
      )
      .min(1),
  }),
  params: z.object({
    arch: z.string().min(1),
    sysdigFormat: z.string().nullable(),
    replace: z.boolean(),
    maxRejectShare: z.number().min(0).max(1),
  }),
});

export type JobData = z.output<typeof jobShape>;

/** What a worker returns for a job (kept by BullMQ as the job's return value). */
export interface JobResult {
  /** the run was already committed with the same content (by an earlier attempt or another writer) */
  unchanged: boolean;
  events: number;
  rejected: number;
  lines: number;
  files: number;
  bytes: number;
  seconds: number;
  /** host/pid of the worker that did it */
  worker: string;
}

/**
 * The job id of capture `c` with content key `key` for dataset `out`: its image and run (readable
 * in Redis and in the enqueuer's summary) and a hash of the dataset and the content key. The same
 * manifest entry enqueued again gets the same id (BullMQ adds a job id once); other content or
 * another dataset gets another. BullMQ ids may not hold `:` (encodeURIComponent escapes it).
 */
export function jobId(c: Pick<CaptureInput, "image" | "run">, key: string, out: string): string {
  const h = createHash("sha256").update(`${out}\u0000${key}`).digest("hex").slice(0, 24);
  return `${encodeURIComponent(c.image)}/${encodeURIComponent(c.run)}@${h}`;
}

/** The job data of capture `c` (its files with absolute paths) for dataset `out` (absolute). */
export function jobData(c: CaptureInput, key: string, out: string, params: JobParams): JobData {
  return {
    version: JOB_VERSION,
    out,
    key,
    capture: {
      image: c.image,
      imageGiven: c.imageGiven,
      run: c.run,
      source: c.source,
      format: c.format,
      labels: c.labels,
      files: c.files.map((f) => ({ path: f.path, name: f.name, tid: f.tid, size: f.size })),
    },
    params,
  };
}
