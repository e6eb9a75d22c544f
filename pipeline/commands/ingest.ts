/**
 * `sandmine ingest PATH… --out DATASET` and `sandmine ingest --manifest captures.yaml --out DATASET`.
 */
import type { Command } from "../cli.ts";
import { UsageError } from "../errors.ts";
import { ingest, type IngestSummary } from "../ingest/ingest.ts";
import { FORMATS, captureFromPath, capturesFromManifest, type Format } from "../ingest/inputs.ts";
import { DEFAULT_MAX_REJECT_SHARE } from "../ingest/reject-share.ts";
import type { CaptureStats } from "../ingest/tables.ts";
import type { SegmentStats } from "../ingest/tasks.ts";
import { checkWorkers } from "../pool.ts";
import { GUESSED_RULES, type PhaseRule } from "../../stages/phase/boundary.ts";
import { UNNAMED_SYSCALL } from "../../schemas/events.ts";
import { compileFormat } from "../../stages/sysdig/format-lines.ts";

const ARCHES = ["x86_64", "i386", "aarch64"];

const RULE_TEXT: Readonly<Record<PhaseRule, string>> = {
  "filter-load": "the container's seccomp filter load",
  "runc-init-setup": "after runc init's last mount/pivot_root/sethostname/keyctl/setns call",
  "runc-init-exec": "just before runc init's execve of the entrypoint",
  none: "no boundary",
};

function sumOf(r: CaptureStats, f: (x: SegmentStats) => number): number {
  return r.files.reduce((n, file) => n + file.replies.reduce((m, x) => m + f(x), 0), 0);
}

function printSummary(s: IngestSummary): void {
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const lines = [
    `ingested ${s.runs.length} run(s), ${s.files} file(s), ${mb(s.bytes)} MiB in ${s.seconds.toFixed(2)} s`,
    `  lines read ${s.lines}  events ${s.events}  rejected ${s.rejected}  skipped ${s.skipped}`,
    `  ${Math.round(s.eventsPerSecond)} events/s  peak RSS ${mb(s.peakRssBytes)} MiB`,
  ];
  for (const r of s.runs) {
    const ev = r.files.reduce((n, f) => n + f.replies.reduce((m, x) => m + x.events, 0), 0);
    const rej = r.files.reduce((n, f) => n + f.replies.reduce((m, x) => m + x.rejected, 0), 0);
    const moved = [...r.images.values()].reduce((n, x) => n + x.events, 0);
    lines.push(
      `  ${r.capture.image}/${r.capture.run}: ${r.files.length} file(s), ${ev - moved} events, ${rej} rejected`,
    );
    const spliced = sumOf(r, (x) => x.splicedCalls);
    const unnamed = sumOf(r, (x) => x.unnamedCalls);
    if (spliced > 0) lines.push(`    ${spliced} call(s) rejoined after program output cut their line`);
    if (unnamed > 0)
      lines.push(`    ${unnamed} call(s) strace printed as ??? without a number: kept as ${UNNAMED_SYSCALL}`);
    if (GUESSED_RULES.has(r.phaseRule)) {
      lines.push(
        `    warning: no filter load in this capture; phases are a guess (rule ${r.phaseRule}: ${RULE_TEXT[r.phaseRule]})`,
      );
    } else if (r.phaseRule === "none" && r.format === "strace") {
      lines.push(`    note: no filter load and no runc init task: every phase is unknown`);
    }
    for (const [image, x] of r.images)
      lines.push(`  ${image}/${r.capture.run}: ${x.events} events of its containers`);
  }
  process.stdout.write(lines.join("\n") + "\n");
}

/** The `--sysdig-format` value, checked: only with `--format auto|sysdig-text`, and every field supported. */
function checkSysdigFormat(value: string | undefined, format: Format): string | undefined {
  if (value === undefined) return undefined;
  if (format !== "auto" && format !== "sysdig-text")
    throw new UsageError("--sysdig-format goes with --format auto or sysdig-text");
  try {
    if (compileFormat(value).fields.length === 0) throw new Error("sysdig format: no %field in it");
  } catch (e) {
    throw new UsageError(`--sysdig-format: ${(e as Error).message}`);
  }
  return value;
}

export const ingestCommand: Command = {
  summary:
    "Reads strace captures (files, -ff folders, .gz) and sysdig captures (.scap, text, JSON) into a Parquet dataset (events, runs, rejects, manifest.json).\n" +
    "Each PATH is one run; by default its image is the name of the folder holding it and its run id its own name.",
  usage:
    "ingest PATH... --out DATASET [--image NAME] [--run ID] [--test NAME] [--format FMT] [--sysdig-format P] [--workers N]\n       sandmine ingest --manifest captures.yaml --out DATASET",
  options: {
    out: { type: "string", short: "o" },
    image: { type: "string" },
    run: { type: "string" },
    test: { type: "string" },
    format: { type: "string", default: "auto" },
    "sysdig-format": { type: "string" },
    workers: { type: "string" },
    manifest: { type: "string" },
    arch: { type: "string", default: "x86_64" },
    replace: { type: "boolean", default: false },
    "piece-bytes": { type: "string" },
    "max-reject-share": { type: "string" },
    json: { type: "boolean", default: false },
    quiet: { type: "boolean", short: "q", default: false },
  },
  describe: {
    out: "dataset folder (created if missing; runs are appended)",
    image: "image name for all PATHs (default: name of the folder holding each PATH)",
    run: "run id (only with one PATH; default: the PATH's name)",
    test: "test case the PATHs recorded (the runs' `test` label; coverage then pools runs by test case)",
    format: `capture format: ${FORMATS.join("|")} (default auto: by content)`,
    "sysdig-format":
      "custom sysdig -p format of text captures, e.g. LID-DS's '%evt.rawtime %user.uid %proc.pid %proc.name %thread.tid %syscall.type %evt.dir %evt.args'",
    workers: "worker threads (default: number of cores); output is identical for any count",
    manifest: "YAML list of captures: captures: [{path, image, run, labels}]",
    arch: `architecture of the traced programs: ${ARCHES.join("|")} (default x86_64; 32-bit tasks are detected)`,
    replace: "replace runs that already exist in the dataset",
    "piece-bytes": "size of the pieces large files are cut into for parallel reading (default 2 MiB)",
    "max-reject-share": `largest share of rejected lines a run may have, 0..1 (default ${DEFAULT_MAX_REJECT_SHARE}); a PATH of which no line parses is always an error`,
    json: "print the summary as JSON",
    quiet: "no progress output",
  },
  async run(v, positionals) {
    const out = v.out as string | undefined;
    if (!out) throw new UsageError("--out DATASET is required");
    const format = v.format as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
    const sysdigFormat = checkSysdigFormat(v["sysdig-format"] as string | undefined, format);
    const arch = v.arch as string;
    if (!ARCHES.includes(arch)) throw new UsageError(`--arch must be one of ${ARCHES.join(", ")}`);
    const workers = checkWorkers(v.workers as string | undefined);
    const manifest = v.manifest as string | undefined;
    if (manifest && positionals.length > 0) throw new UsageError("give either PATHs or --manifest, not both");
    if (!manifest && positionals.length === 0)
      throw new UsageError("nothing to ingest: give PATHs or --manifest");
    if (v.run !== undefined && positionals.length > 1)
      throw new UsageError("--run names one run: give one PATH");
    const captures = manifest
      ? capturesFromManifest(manifest, format)
      : positionals.map((p) =>
          captureFromPath(p, {
            image: v.image as string | undefined,
            run: v.run as string | undefined,
            format,
            labels: v.test === undefined ? undefined : { test: v.test as string },
          }),
        );
    const pieceBytes = v["piece-bytes"] === undefined ? undefined : Number(v["piece-bytes"]);
    if (pieceBytes !== undefined && (!Number.isInteger(pieceBytes) || pieceBytes < 4096)) {
      throw new UsageError("--piece-bytes must be an integer of at least 4096");
    }
    const maxRejectShare =
      v["max-reject-share"] === undefined ? DEFAULT_MAX_REJECT_SHARE : Number(v["max-reject-share"]);
    if (!(maxRejectShare >= 0 && maxRejectShare <= 1)) {
      throw new UsageError("--max-reject-share must be a number from 0 to 1");
    }
    const summary = await ingest({
      maxRejectShare,
      pieceBytes,
      sysdigFormat,
      captures,
      out,
      workers,
      arch,
      replace: v.replace as boolean,
      quiet: (v.quiet as boolean) || (v.json as boolean),
    });
    if (v.json) {
      const { runs, ...rest } = summary;
      process.stdout.write(
        JSON.stringify({
          ...rest,
          runs: runs.flatMap((r) => [
            {
              image: r.capture.image,
              run: r.capture.run,
              files: r.files.length,
              phase_rule: r.phaseRule,
              phase_guessed: GUESSED_RULES.has(r.phaseRule),
              spliced_calls: sumOf(r, (x) => x.splicedCalls),
              unnamed_calls: sumOf(r, (x) => x.unnamedCalls),
            },
            ...[...r.images.keys()].map((image) => ({ image, run: r.capture.run, files: 0 })),
          ]),
        }) + "\n",
      );
    } else {
      printSummary(summary);
    }
    return 0;
  },
};
