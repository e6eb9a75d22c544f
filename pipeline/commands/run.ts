/**
 * `sandmine run STUDY.yaml|EXPERIMENT.yaml`: every stage of the study (record, ingest, characterize,
 * coverage, synthesize, check, validate, report, results), each cached by the hash of its inputs,
 * parameters and code; `--status` says per stage fresh, stale (and why) or missing.
 */
import { checkWorkers } from "../pool.ts";
import { defineCommand, exactlyOne, stepLog, workersOption } from "../command.ts";
import { runStudy, studyStatus } from "../run/run.ts";
import { loadStudy } from "../run/study-file.ts";
import { statusTable, summaryLine } from "../run/print.ts";

export const runCommand = defineCommand({
  name: "run",
  summary:
    "Reproduces a study end to end: per experiment record (or ingest of bundled captures), ingest, characterize,\n" +
    "coverage, synthesize and check per mode, validate per part; then the report and the results folder.\n" +
    "Each stage is cached by the hash of its inputs, parameters and code: a rerun redoes only what changed or did not finish.",
  args: "STUDY.yaml|EXPERIMENT.yaml",
  options: {
    status: {
      type: "boolean",
      default: false,
      description:
        "run nothing: say per stage fresh, stale (which input changed) or missing; exit 1 unless all fresh",
    },
    cache: {
      type: "string",
      placeholder: "DIR",
      description: "the stages' outputs and records (default: out/run/NAME under the current folder)",
    },
    out: {
      type: "string",
      placeholder: "DIR",
      description: "results folder (default: the study's out:, else datasets/results/NAME)",
    },
    redo: {
      type: "string",
      placeholder: "STAGE",
      multiple: true,
      description: "run this stage again even when fresh (repeatable; * matches any text: '*/record')",
    },
    workers: workersOption("ingest worker threads (default: number of cores); no output depends on it"),
    json: { type: "boolean", default: false, description: "print the stages and their states as JSON" },
  },
  async run(o, positionals) {
    const file = exactlyOne(positionals, "STUDY.yaml or EXPERIMENT.yaml");
    const study = loadStudy(file, { cache: o.cache, out: o.out });
    const log = stepLog("run", o.quiet);
    if (o.status) {
      const rows = await studyStatus(study);
      process.stdout.write(o.json ? JSON.stringify({ stages: rows }) + "\n" : statusTable(rows));
      return rows.every((r) => r.state === "fresh") ? 0 : 1;
    }
    const r = await runStudy(study, { redo: o.redo ?? [], workers: checkWorkers(o.workers), log });
    process.stdout.write(o.json ? JSON.stringify(r) + "\n" : summaryLine(r));
    return r.failed.length > 0 ? 1 : 0;
  },
});
