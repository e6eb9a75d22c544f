/**
 * `sandmine validate EXPERIMENT.yaml`: enforce, complain, probes, held-out runs and overhead on
 * the host's Docker engine; JSON report and a terminal summary; exit 1 on a regression.
 */
import { writeFileSync } from "node:fs";
import { defineCommand, exactlyOne, stepLog } from "../command.ts";
import { loadExperiment } from "../host/experiment-file.ts";
import { PARTS, validate } from "../host/validate.ts";
import { summarize } from "../../stages/host/summary.ts";

export const validateCommand = defineCommand({
  name: "validate",
  summary:
    "Validates profiles on the host (root, Docker, runc): tests with and without each profile, complain mode with\n" +
    "the kernel's audit records attributed to tests, attack probes, held-out runs and throughput overhead.",
  args: "EXPERIMENT.yaml",
  options: {
    dataset: {
      type: "string",
      placeholder: "DATASET",
      description: "dataset recorded for this experiment (needed by synthesize profiles and held-out runs)",
    },
    profile: {
      type: "string",
      placeholder: "FILE",
      multiple: true,
      description: "profile file to validate (repeatable; replaces the experiment's profiles)",
    },
    only: {
      type: "list",
      placeholder: "PART[,…]",
      choices: PARTS,
      description: `parts to run, of ${PARTS.join(", ")} (default: all)`,
    },
    report: { type: "string", placeholder: "FILE", description: "write the JSON report here" },
    "profiles-out": {
      type: "string",
      placeholder: "DIR",
      description: "keep synthesized profiles in this folder",
    },
    json: { type: "boolean", default: false, description: "print the JSON report instead of the summary" },
    backend: {
      type: "enum",
      choices: ["docker", "runc"],
      default: "docker",
      description:
        "docker (a running engine, else a private dockerd) or runc (bundles, no daemon; busybox or Debian images without a Dockerfile)",
    },
  },
  async run(o, positionals) {
    const experiment = exactlyOne(positionals, "EXPERIMENT.yaml");
    const le = loadExperiment(experiment);
    const report = await validate(le, {
      dataset: o.dataset,
      profileFiles: o.profile,
      parts: new Set(o.only ?? PARTS),
      backend: o.backend,
      profilesOut: o.profilesOut,
      log: stepLog("validate", o.quiet),
    });
    const json = JSON.stringify(report, null, 1) + "\n";
    if (o.report) writeFileSync(o.report, json);
    process.stdout.write(o.json ? json : summarize(report));
    return report.failed ? 1 : 0;
  },
});
