/**
 * `sandmine enqueue --manifest MANIFEST --out DATASET --queue redis://HOST:PORT`: one job per
 * capture on a BullMQ queue, for any number of `sandmine worker` processes (pipeline/queue/).
 * Exit 0 when every job is done, 2 when any failed for good (as `sandmine ingest` exits on bad input).
 */
import { resolve } from "node:path";
import { defineCommand } from "../command.ts";
import { messageOf, UsageError } from "../errors.ts";
import { FORMATS, capturesFromManifest, parseShard, shardCaptures } from "../ingest/inputs.ts";
import { DEFAULT_MAX_REJECT_SHARE } from "../ingest/reject-share.ts";
import { checkQueueName } from "../queue/connection.ts";
import { queueOptions } from "../queue/options.ts";
import { enqueue, type EnqueueSummary } from "../queue/enqueue.ts";
import { compileFormat } from "../../stages/sysdig/format-lines.ts";

const ARCHES = ["x86_64", "i386", "aarch64"] as const;

function summaryText(s: EnqueueSummary, waited: boolean): string {
  if (!waited) return "";
  const ingested = s.done.filter((d) => !d.result.unchanged);
  const events = ingested.reduce((n, d) => n + d.result.events, 0);
  const rejected = ingested.reduce((n, d) => n + d.result.rejected, 0);
  const lines = [
    `${s.done.length + s.failed.length} job(s) on ${s.queue}: ${s.done.length} done, ${s.failed.length} failed`,
    `  ${ingested.length} run(s) ingested in ${s.seconds.toFixed(1)} s: events ${events} ` +
      `(${Math.round(events / Math.max(s.seconds, 0.001))}/s), rejected ${rejected}; ` +
      `${s.done.length - ingested.length} found committed with the same content by their job`,
    `  ${s.unchanged.length} capture(s) already in the dataset with the same content: no job`,
  ];
  for (const f of s.failed)
    lines.push(`  failed: ${f.image}/${f.run} (${f.source}) after ${f.attempts} attempt(s): ${f.reason}`);
  return lines.join("\n") + "\n";
}

export const enqueueCommand = defineCommand({
  name: "enqueue",
  summary:
    "Puts one ingest job per capture of a manifest on a BullMQ queue in Redis, for `sandmine worker` processes on any number of machines, and waits for them (jobs done / total).\n" +
    "Re-enqueuing is idempotent: each job's id is its image and run and a hash of its content; runs the dataset holds with the same content get no job. Exit 2 when any job failed for good.",
  args: "",
  options: {
    manifest: {
      type: "string",
      placeholder: "MANIFEST",
      required: true,
      description: "YAML file listing the captures: captures: [{path, image, run, labels}]",
    },
    out: {
      type: "string",
      short: "o",
      placeholder: "DATASET",
      required: true,
      description: "dataset folder, at a path every worker sees (a shared filesystem)",
    },
    ...queueOptions("the workers' --queue-name"),
    format: {
      type: "enum",
      choices: FORMATS,
      default: "auto",
      description: "capture format of entries without format: (auto: by content)",
    },
    "sysdig-format": {
      type: "string",
      placeholder: "FORMAT",
      description: "custom sysdig -p format of text captures (as ingest --sysdig-format)",
    },
    arch: {
      type: "enum",
      choices: ARCHES,
      default: "x86_64",
      description: "architecture of the traced programs (32-bit tasks are detected)",
    },
    replace: {
      type: "boolean",
      default: false,
      description: "replace runs that already exist in the dataset",
    },
    "max-reject-share": {
      type: "number",
      placeholder: "SHARE",
      min: 0,
      max: 1,
      default: DEFAULT_MAX_REJECT_SHARE,
      description: "largest share of rejected lines a run may have, 0..1 (as ingest)",
    },
    shard: {
      type: "string",
      placeholder: "K/N",
      description: "enqueue only shard K of N of the captures (as ingest --shard)",
    },
    attempts: {
      type: "number",
      placeholder: "N",
      integer: true,
      min: 1,
      max: 100,
      default: 3,
      description:
        "tries per job when an ingest fails for a reason that may pass (bad input fails at once; a dead worker is a stall, not a try)",
    },
    detach: {
      type: "boolean",
      default: false,
      description: "return once the jobs are on the queue, without waiting for them",
    },
    json: { type: "boolean", default: false, description: "print the summary as one JSON object" },
  },
  async run(o, positionals) {
    if (positionals.length > 0) throw new UsageError("give the captures with --manifest, not as PATHs");
    if (o.sysdigFormat !== undefined) {
      try {
        if (compileFormat(o.sysdigFormat).fields.length === 0) throw new Error("no %field in it");
      } catch (e) {
        throw new UsageError(`--sysdig-format: ${messageOf(e)}`);
      }
    }
    const all = capturesFromManifest(o.manifest, o.format);
    const captures = o.shard === undefined ? all : shardCaptures(all, parseShard(o.shard));
    const s = await enqueue({
      captures,
      out: resolve(o.out),
      params: {
        arch: o.arch,
        sysdigFormat: o.sysdigFormat ?? null,
        replace: o.replace,
        maxRejectShare: o.maxRejectShare,
      },
      url: o.queue,
      name: checkQueueName(o.queueName),
      attempts: o.attempts,
      wait: !o.detach,
      quiet: o.quiet || o.json,
    });
    process.stdout.write(o.json ? JSON.stringify(s) + "\n" : summaryText(s, !o.detach));
    return s.failed.length > 0 ? 2 : 0;
  },
});
