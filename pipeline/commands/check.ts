/**
 * `sandmine check PROFILE DATASET [--image NAME] [--json] [--limit N] [--without-runtime]`.
 */
import { defineCommand } from "../command.ts";
import { UsageError } from "../errors.ts";
import type { CheckResult } from "../profile/check.ts";
import { checkFailed, checkProfileFile } from "../profile/check-file.ts";
import type { Lint } from "../../stages/seccomp/lints.ts";

function summary(r: CheckResult, lints: readonly Lint[], profile: string): string {
  const lines = [
    `${profile} against image ${r.image} (${r.arch}): ${r.checked} events checked, ${r.denied} denied` +
      ` (${r.denied_workload} in the workload), ${r.undetermined} undetermined (argument not recorded),` +
      ` ${r.not_governed} before the filter was loaded, ${r.not_on_arch} calls ${r.arch} does not have`,
  ];
  if (r.calls.length) {
    lines.push("", "denied calls (distinct):");
    lines.push(
      `${"events".padStart(8)}  ${"syscall".padEnd(18)}${"phase".padEnd(10)}verdict      args / processes / runs`,
    );
    for (const c of r.calls) {
      const verdict =
        c.errno !== undefined
          ? `${c.action.replace("SCMP_ACT_", "")}(${c.errno})`
          : c.action.replace("SCMP_ACT_", "");
      const args = c.args.map((a) => a ?? "-").join(",");
      lines.push(
        `${String(c.events).padStart(8)}  ${(c.syscall === c.checked_as ? c.syscall : `${c.syscall}→${c.checked_as}`).padEnd(18)}${c.phase.padEnd(10)}${verdict.padEnd(13)}` +
          `[${args}] ${c.processes.join(",")} ${c.runs.join(",")}`,
      );
    }
    lines.push("", `first ${r.denied_events.length} denied events:`);
    for (const e of r.denied_events) {
      lines.push(
        `  ${e.run} ${e.capture}:${e.seq} ${e.comm ?? "?"}[${e.tid}] ${e.phase} ${e.syscall}(${e.args_raw})`,
      );
    }
  }
  if (lints.length) {
    lines.push("", "lints:");
    for (const l of lints) lines.push(`  ${l.severity.padEnd(8)}${l.code}: ${l.message}`);
  }
  return lines.join("\n") + "\n";
}

export const checkCommand = defineCommand({
  name: "check",
  summary:
    "Replays every recorded event of an image through a profile's seccomp semantics, lists each\n" +
    "event it would deny (run, process, phase, arguments), and runs the lints. Exit 1 on a denied\n" +
    "event or an error lint.",
  args: "PROFILE DATASET",
  options: {
    image: {
      type: "string",
      placeholder: "NAME",
      description:
        "the image whose events to replay (default: the profile report's image, or the dataset's only one)",
    },
    json: {
      type: "boolean",
      default: false,
      description: "print one JSON object: denied (a count), calls, denied_events, lints, …",
    },
    limit: {
      type: "number",
      placeholder: "N",
      integer: true,
      min: 0,
      default: 50,
      description: "list at most N denied events (all are counted)",
    },
    "without-runtime": {
      type: "boolean",
      description:
        "do not check phase init (for a filter installed after runc's init; default: as the profile's report says)",
    },
  },
  async run(o, positionals) {
    const [file, dataset, ...more] = positionals;
    if (file === undefined || dataset === undefined || more.length)
      throw new UsageError("give PROFILE and DATASET");
    const checked = await checkProfileFile({
      profile: file,
      dataset,
      image: o.image,
      limit: o.limit,
      withoutRuntime: o.withoutRuntime,
    });
    const { result, lints } = checked;
    process.stdout.write(
      o.json ? JSON.stringify({ profile: file, ...result, lints }) + "\n" : summary(result, lints, file),
    );
    return checkFailed(checked) ? 1 : 0;
  },
});
