/**
 * `sandmine record EXPERIMENT.yaml --out DATASET`: the experiment's container and tests under
 * strace, ingested with image, run and test labels.
 */
import type { Command } from "../cli.ts";
import { UsageError } from "../errors.ts";
import { loadExperiment } from "../host/experiment-file.ts";
import { record } from "../host/record.ts";
import { checkWorkers } from "../pool.ts";

export const recordCommand: Command = {
  summary:
    "Runs the experiment's container under the strace runtime of a private dockerd (root), runs its tests,\n" +
    "and ingests each run into DATASET (image = the experiment's name; labels test:NAME = START_NS-END_NS).",
  usage: "record EXPERIMENT.yaml --out DATASET [--runs N] [--traces DIR] [--replace] [--json]",
  options: {
    out: { type: "string", short: "o" },
    runs: { type: "string" },
    traces: { type: "string" },
    replace: { type: "boolean", default: false },
    workers: { type: "string" },
    json: { type: "boolean", default: false },
  },
  describe: {
    out: "dataset folder (created if missing)",
    runs: "number of recorded runs (default: the experiment's runs, else 1)",
    traces: "keep the raw strace files here (default: removed after ingest)",
    replace: "replace runs that already exist in the dataset",
    workers: "ingest worker threads",
    json: "print the result as JSON",
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new UsageError("give exactly one EXPERIMENT.yaml");
    const out = v.out as string | undefined;
    if (!out) throw new UsageError("--out DATASET is required");
    const runs = v.runs === undefined ? undefined : Number(v.runs);
    if (runs !== undefined && (!Number.isInteger(runs) || runs < 1))
      throw new UsageError("--runs must be a positive integer");
    const le = loadExperiment(positionals[0]!);
    const log = (s: string) => process.stderr.write(`record: ${s}\n`);
    const r = await record(le, {
      out,
      runs,
      traces: v.traces as string | undefined,
      replace: v.replace as boolean,
      workers: checkWorkers(v.workers as string | undefined),
      log,
    });
    if (v.json) {
      process.stdout.write(
        JSON.stringify({
          image: r.image,
          runs: r.runs,
          events: r.ingest.events,
          rejected: r.ingest.rejected,
        }) + "\n",
      );
    } else {
      for (const x of r.runs)
        process.stdout.write(
          `${r.image}/${x.run}: ${x.tests} tests (${x.failed.length} failed), ${x.files} task files\n`,
        );
      process.stdout.write(
        `ingested ${r.ingest.events} events (${r.ingest.rejected} rejected) into ${out}\n`,
      );
    }
    return r.runs.some((x) => x.failed.length > 0) ? 1 : 0;
  },
};
