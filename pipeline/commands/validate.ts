/**
 * `sandmine validate EXPERIMENT.yaml`: enforce, complain, probes, held-out runs and overhead on
 * the host's Docker engine; JSON report and a terminal summary; exit 1 on a regression.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "../cli.ts";
import { UsageError } from "../errors.ts";
import { loadExperiment } from "../host/experiment-file.ts";
import { PARTS, validate, type Part } from "../host/validate.ts";
import { summarize } from "../../stages/host/summary.ts";

export const validateCommand: Command = {
  summary:
    "Validates profiles on the host (root, Docker, runc): tests with and without each profile, complain mode with\n" +
    "the kernel's audit records attributed to tests, attack probes, held-out runs and throughput overhead.",
  usage:
    "validate EXPERIMENT.yaml [--dataset DATASET] [--profile FILE]... [--only enforce,complain,probes,overhead,heldout] [--report FILE] [--profiles-out DIR] [--backend docker|runc] [--json]",
  options: {
    dataset: { type: "string" },
    profile: { type: "string", multiple: true },
    only: { type: "string" },
    report: { type: "string" },
    "profiles-out": { type: "string" },
    json: { type: "boolean", default: false },
    backend: { type: "string", default: "docker" },
  },
  describe: {
    dataset: "dataset recorded for this experiment (needed by synthesize profiles and held-out runs)",
    profile: "profile file to validate (repeatable; replaces the experiment's profiles)",
    only: `parts to run (default all): ${PARTS.join(",")}`,
    report: "write the JSON report here",
    "profiles-out": "keep synthesized profiles in this folder",
    json: "print the JSON report instead of the summary",
    backend:
      "docker (default: a running engine, else a private dockerd) or runc (bundles, no daemon; busybox or Debian images without a Dockerfile)",
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new UsageError("give exactly one EXPERIMENT.yaml");
    let parts = new Set<Part>(PARTS);
    if (v.only !== undefined) {
      const list = (v.only as string)
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const p of list)
        if (!PARTS.includes(p as Part))
          throw new UsageError(`--only ${p}: expected some of ${PARTS.join(", ")}`);
      parts = new Set(list as Part[]);
    }
    const backend = v.backend as string;
    if (backend !== "docker" && backend !== "runc") throw new UsageError("--backend must be docker or runc");
    const le = loadExperiment(positionals[0]!);
    const report = await validate(le, {
      dataset: v.dataset as string | undefined,
      profileFiles: v.profile as string[] | undefined,
      parts,
      backend,
      profilesOut: v["profiles-out"] as string | undefined,
      log: (s) => process.stderr.write(`validate: ${s}\n`),
    });
    const json = JSON.stringify(report, null, 1) + "\n";
    if (v.report) writeFileSync(v.report as string, json);
    process.stdout.write(v.json ? json : summarize(report));
    return report.failed ? 1 : 0;
  },
};
