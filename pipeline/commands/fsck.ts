/**
 * `sandmine fsck DATASET [--repair] [--verify] [--json]`: checks a dataset against its commit
 * log (pipeline/dataset/fsck.ts). Exit 1 when something is wrong (without --repair, or what
 * --repair cannot put right), 0 when the dataset is clean.
 */
import { defineCommand } from "../command.ts";
import { fsck } from "../dataset/fsck.ts";
import { UsageError } from "../errors.ts";

export const fsckCommand = defineCommand({
  name: "fsck",
  summary:
    "Checks a dataset against its commit log: abandoned staging folders, run folders without a commit, files a run's record does not list, tables out of date with the log, damaged runs.\n" +
    "Exit 1 when something is wrong; --repair removes what is not committed, puts back runs a killed --replace moved aside and rebuilds the tables.",
  args: "DATASET",
  options: {
    repair: {
      type: "boolean",
      default: false,
      description: "put right what can be (never touches committed data that differs from its record)",
    },
    verify: {
      type: "boolean",
      default: false,
      description: "also compare every file's sha256 with its run's commit record (reads the whole dataset)",
    },
    json: { type: "boolean", default: false, description: "print the report as one JSON object" },
  },
  async run(o, positionals) {
    const [dataset, ...more] = positionals;
    if (dataset === undefined || more.length > 0) throw new UsageError("give one DATASET");
    const r = await fsck(dataset, { repair: o.repair, verify: o.verify });
    if (o.json) {
      process.stdout.write(JSON.stringify(r) + "\n");
      return r.clean ? 0 : 1;
    }
    const lines = [`${dataset}: ${r.runs} committed run(s)`];
    for (const a of r.repaired) lines.push(`  repaired: ${a}`);
    for (const f of r.findings) {
      const what = f.problem ? (f.repair && !o.repair ? `(--repair: ${f.repair})` : "") : "(not a problem)";
      lines.push(`  ${f.kind}: ${f.path}: ${f.detail} ${what}`.trimEnd());
    }
    const problems = r.findings.filter((f) => f.problem).length;
    lines.push(r.clean ? "  clean" : `  ${problems} problem(s)`);
    process.stdout.write(lines.join("\n") + "\n");
    return r.clean ? 0 : 1;
  },
});
