/**
 * `sandmine check PROFILE DATASET [--image NAME] [--json] [--limit N | --all] [--without-runtime]`.
 */
import { defineCommand } from "../command.ts";
import { UsageError } from "../errors.ts";
import type { CheckResult, DeniedCall, DeniedEvent } from "../profile/check.ts";
import { checkFailed, checkProfileFile } from "../profile/check-file.ts";
import { paint, severity, type Paint } from "../terminal.ts";
import type { Lint } from "../../stages/seccomp/lints.ts";

/** Arguments longer than this are cut in the listing (not with --all, never in --json). */
const ARGS_SHOWN = 160;

/** The denied calls of one syscall, with its listed events. */
interface DeniedSyscall {
  syscall: string;
  events: number;
  calls: DeniedCall[];
  listed: DeniedEvent[];
}

/** The denied calls grouped by syscall, most events first (the calls come sorted so). */
function bySyscall(r: CheckResult): DeniedSyscall[] {
  const out = new Map<string, DeniedSyscall>();
  for (const c of r.calls) {
    const s = out.get(c.syscall) ?? { syscall: c.syscall, events: 0, calls: [], listed: [] };
    s.events += c.events;
    s.calls.push(c);
    out.set(c.syscall, s);
  }
  for (const e of r.denied_events) out.get(e.syscall)?.listed.push(e);
  return [...out.values()].sort(
    (a, b) => b.events - a.events || (a.syscall < b.syscall ? -1 : a.syscall > b.syscall ? 1 : 0),
  );
}

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];

/** `a,b,c`, or `a,b,c,… (7)` for more than `most`. */
function some(xs: readonly string[], most = 3): string {
  return xs.length <= most ? xs.join(",") : `${xs.slice(0, most).join(",")},… (${xs.length})`;
}

const verdictOf = (c: DeniedCall): string =>
  c.errno !== undefined
    ? `${c.action.replace("SCMP_ACT_", "")}(${c.errno})`
    : c.action.replace("SCMP_ACT_", "");

/** One syscall's line: name, events, verdicts, phases, distinct calls, runs, processes. */
function syscallCells(s: DeniedSyscall): string[] {
  const checkedAs = uniq(s.calls.map((c) => c.checked_as)).filter((n) => n !== s.syscall);
  const distinct = s.calls.length > 1 ? `${s.calls.length} distinct calls` : "";
  const runs = uniq(s.calls.flatMap((c) => c.runs)).sort();
  return [
    checkedAs.length ? `${s.syscall}→${checkedAs.join(",")}` : s.syscall,
    `${s.events} event${s.events === 1 ? "" : "s"}`,
    uniq(s.calls.map(verdictOf)).join(","),
    uniq(s.calls.map((c) => c.phase)).join(","),
    runs.length <= 2 ? runs.join(",") : `${runs.length} runs`,
    some(uniq(s.calls.flatMap((c) => c.processes))),
    distinct,
  ];
}

function eventLine(e: DeniedEvent, all: boolean): string {
  const args =
    !all && e.args_raw.length > ARGS_SHOWN ? `${e.args_raw.slice(0, ARGS_SHOWN - 1)}…` : e.args_raw;
  return `    ${e.run} ${e.capture}:${e.seq} ${e.comm ?? "?"}[${e.tid}] ${e.phase} ${e.syscall}(${args})`;
}

/** The text printed: the totals, each denied syscall with its first events, the lints. */
function summary(
  r: CheckResult,
  lints: readonly Lint[],
  profile: string,
  listing: { all: boolean; perSyscall: number },
  p: Paint,
): string {
  const groups = bySyscall(r);
  const denied = `${r.denied} denied`;
  const lines = [
    `${profile} against image ${r.image} (${r.arch}): ${r.checked} events checked, ` +
      (r.denied ? p.red(denied) : p.green(denied)) +
      (r.denied
        ? ` (${r.denied_workload} in the workload) in ${groups.length} syscall${groups.length === 1 ? "" : "s"}`
        : ""),
    `  not checked: ${r.not_governed} before the filter was loaded, ${r.not_on_arch} calls ${r.arch} does not have; ` +
      `${r.undetermined} undetermined (argument not recorded)`,
  ];
  if (groups.length) {
    lines.push(
      "",
      listing.all
        ? "denied, per syscall, with every event:"
        : `denied, per syscall, with its first ${listing.perSyscall} event${listing.perSyscall === 1 ? "" : "s"} (every event: --all):`,
    );
    const cells = groups.map(syscallCells);
    const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
    groups.forEach((g, gi) => {
      const row = cells[gi]!.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)));
      lines.push(`  ${p.bold(row[0]!)}  ${row.slice(1).join("  ")}`.trimEnd());
      for (const e of g.listed) lines.push(eventLine(e, listing.all));
    });
  }
  if (lints.length) {
    lines.push("", "lints:");
    for (const l of lints)
      lines.push(`  ${severity(p, l.severity, l.severity.padEnd(8))}${l.code}: ${l.message}`);
  }
  return lines.join("\n") + "\n";
}

export const checkCommand = defineCommand({
  name: "check",
  summary:
    "Replays every recorded event of an image through a profile's seccomp semantics, lists each\n" +
    "syscall it would deny with its first events (run, process, phase, arguments), and runs the lints.\n" +
    "Exit 1 on a denied event or an error lint.",
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
      description:
        "print one JSON object: the counts, calls (distinct denied calls), denied_events (as listed) and lints",
    },
    limit: {
      type: "number",
      placeholder: "N",
      integer: true,
      min: 0,
      default: 3,
      description: "list the first N denied events of each syscall (all are counted)",
    },
    all: {
      type: "boolean",
      default: false,
      description: "list every denied event (in full)",
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
      limit: Number.MAX_SAFE_INTEGER,
      ...(o.all ? {} : { perSyscall: o.limit }),
      withoutRuntime: o.withoutRuntime,
    });
    const { result, lints } = checked;
    process.stdout.write(
      o.json
        ? JSON.stringify({
            profile: file,
            ...result,
            denied_events_per_syscall: o.all ? null : o.limit,
            lints,
          }) + "\n"
        : summary(result, lints, file, { all: o.all, perSyscall: o.limit }, paint()),
    );
    return checkFailed(checked) ? 1 : 0;
  },
});
