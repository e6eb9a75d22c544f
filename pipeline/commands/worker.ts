/**
 * `sandmine worker --queue redis://HOST:PORT`: ingests the jobs `sandmine enqueue` put on the
 * queue, one at a time, until SIGTERM or SIGINT (it finishes the job in hand) or, with --drain,
 * until the queue is empty (pipeline/queue/work.ts).
 */
import { defineCommand, workersOption } from "../command.ts";
import { UsageError } from "../errors.ts";
import { checkWorkers } from "../pool.ts";
import { checkQueueName } from "../queue/connection.ts";
import { queueOptions } from "../queue/options.ts";
import { work } from "../queue/work.ts";

export const workerCommand = defineCommand({
  name: "worker",
  summary:
    "Takes ingest jobs from a BullMQ queue in Redis (put there by `sandmine enqueue`) and ingests each capture into its dataset; run any number of them, on any machines that see the captures and the dataset at the same paths.\n" +
    "A job whose worker dies is taken again by another after --lock-seconds; runs commit atomically, so a retried job gives the same dataset.",
  args: "",
  options: {
    ...queueOptions("enqueue's --queue-name"),
    workers: workersOption(
      "ingest threads per job (default: number of cores); output is identical for any count",
    ),
    "lock-seconds": {
      type: "number",
      placeholder: "S",
      integer: true,
      min: 1,
      max: 3600,
      default: 30,
      description:
        "lease of a job in hand, renewed every S/2 s: a dead worker's job is taken again after S to 2S seconds",
    },
    drain: {
      type: "boolean",
      default: false,
      description: "exit once the queue holds no waiting, delayed or running job (for batch jobs)",
    },
    json: {
      type: "boolean",
      default: false,
      description:
        "at exit, print what this worker did as one JSON object (done, unchanged, failed, events, seconds)",
    },
  },
  async run(o, positionals) {
    if (positionals.length > 0) throw new UsageError("takes no PATHs: the jobs name the captures");
    const s = await work({
      url: o.queue,
      name: checkQueueName(o.queueName),
      workers: checkWorkers(o.workers),
      lockSeconds: o.lockSeconds,
      drain: o.drain,
      quiet: o.quiet,
    });
    if (o.json) process.stdout.write(JSON.stringify(s) + "\n");
    else if (!o.quiet)
      process.stderr.write(
        `worker: ${s.done} jobs done (${s.unchanged} unchanged), ${s.failed} failed attempts, ${s.events} events in ${s.seconds.toFixed(1)} s\n`,
      );
    return 0;
  },
});
