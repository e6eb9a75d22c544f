/**
 * `sandmine record EXPERIMENT.yaml --out DATASET`: the experiment's container and tests under
 * strace, ingested with image, run and test labels.
 */
import { defineCommand, exactlyOne, stepLog, workersOption } from "../command.ts";
import { loadExperiment } from "../host/experiment-file.ts";
import { record } from "../host/record.ts";
import { checkWorkers } from "../pool.ts";

export const recordCommand = defineCommand({
  name: "record",
  summary:
    "Runs the experiment's container under the strace runtime of a private dockerd (root), runs its tests,\n" +
    "and ingests each run into DATASET (image = the experiment's name; labels test:NAME = START_NS-END_NS).",
  args: "EXPERIMENT.yaml",
  options: {
    out: {
      type: "string",
      short: "o",
      placeholder: "DATASET",
      required: true,
      description: "dataset folder (created if missing)",
    },
    runs: {
      type: "number",
      placeholder: "N",
      integer: true,
      min: 1,
      description: "number of recorded runs (default: the experiment's runs, else 1)",
    },
    traces: {
      type: "string",
      placeholder: "DIR",
      description: "keep the raw strace files here (default: removed after ingest)",
    },
    replace: {
      type: "boolean",
      default: false,
      description: "replace runs that already exist in the dataset",
    },
    workers: workersOption("ingest worker threads (default: number of cores)"),
    json: { type: "boolean", default: false, description: "print the result as JSON" },
  },
  async run(o, positionals) {
    const experiment = exactlyOne(positionals, "EXPERIMENT.yaml");
    const le = loadExperiment(experiment);
    const log = stepLog("record", o.quiet);
    const r = await record(le, {
      out: o.out,
      runs: o.runs,
      traces: o.traces,
      replace: o.replace,
      workers: checkWorkers(o.workers),
      log,
    });
    if (o.json) {
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
        `ingested ${r.ingest.events} events (${r.ingest.rejected} rejected) into ${o.out}\n`,
      );
    }
    return r.runs.some((x) => x.failed.length > 0) ? 1 : 0;
  },
});
