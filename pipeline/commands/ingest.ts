/**
 * `sandmine ingest PATH… --out DATASET` and `sandmine ingest --manifest captures.yaml --out DATASET`.
 */
import { defineCommand, workersOption } from "../command.ts";
import { messageOf, UsageError } from "../errors.ts";
import type { IngestSummary } from "../ingest/ingest.ts";
import { lazyPool } from "../ingest/lazy-pool.ts";
import {
  FORMATS,
  captureFromPath,
  capturesFromManifest,
  parseShard,
  shardCaptures,
  type Format,
} from "../ingest/inputs.ts";
import { DEFAULT_MAX_REJECT_SHARE } from "../ingest/reject-share.ts";
import type { CaptureStats } from "../ingest/tables.ts";
import type { SegmentStats } from "../ingest/tasks.ts";
import { checkWorkers } from "../pool.ts";
import { applyMaxMemory } from "../memory.ts";
import { GUESSED_RULES, type PhaseRule } from "../../stages/phase/boundary.ts";
import { UNNAMED_SYSCALL } from "../../schemas/events.ts";
import { compileFormat } from "../../stages/sysdig/format-lines.ts";

const ARCHES = ["x86_64", "i386", "aarch64"] as const;

const RULE_TEXT: Readonly<Record<PhaseRule, string>> = {
  "filter-load": "the container's seccomp filter load",
  "runc-init-setup": "after runc init's last mount/pivot_root/sethostname/keyctl/setns call",
  "runc-init-exec": "just before runc init's execve of the entrypoint",
  none: "no boundary",
};

function sumOf(r: CaptureStats, f: (x: SegmentStats) => number): number {
  return r.files.reduce((n, file) => n + file.replies.reduce((m, x) => m + f(x), 0), 0);
}

/** Above this many runs the summary lists only the runs with a note (the per-image lines cover the rest). */
const MANY_RUNS = 40;

/** One run's lines: its counts, then its notes and warnings (and the runs split off it). */
function runLines(r: CaptureStats): { head: string[]; notes: string[] } {
  const ev = sumOf(r, (x) => x.events);
  const rej = sumOf(r, (x) => x.rejected);
  const moved = [...r.images.values()].reduce((n, x) => n + x.events, 0);
  const head = [
    `  ${r.capture.image}/${r.capture.run}: ${r.files.length} file(s), ${ev - moved} events, ${rej} rejected`,
  ];
  const notes: string[] = [];
  const spliced = sumOf(r, (x) => x.splicedCalls);
  const unnamed = sumOf(r, (x) => x.unnamedCalls);
  if (spliced > 0) notes.push(`    ${spliced} call(s) rejoined after program output cut their line`);
  if (unnamed > 0)
    notes.push(`    ${unnamed} call(s) strace printed as ??? without a number: kept as ${UNNAMED_SYSCALL}`);
  if (GUESSED_RULES.has(r.phaseRule)) {
    notes.push(
      `    warning: no filter load in this capture; phases are a guess (rule ${r.phaseRule}: ${RULE_TEXT[r.phaseRule]})`,
    );
  } else if (r.phaseRule === "none" && r.format === "strace") {
    notes.push(`    note: no filter load and no runc init task: every phase is unknown`);
  }
  for (const [image, x] of r.images)
    head.push(`  ${image}/${r.capture.run}: ${x.events} events of its containers`);
  return { head, notes };
}

/**
 * The summary as printed: totals, per run its files, events, rejects and warnings (with many runs
 * only the runs with a note), then per image its runs, events, rejects and unchanged runs.
 */
function summaryText(s: IngestSummary): string {
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const lines = [
    `ingested ${s.runs.length} run(s), ${s.files} file(s), ${mb(s.bytes)} MiB in ${s.seconds.toFixed(2)} s`,
    `  lines read ${s.lines}  events ${s.events}  rejected ${s.rejected}  skipped ${s.skipped}`,
    `  ${Math.round(s.eventsPerSecond)} events/s  peak RSS ${mb(s.peakRssBytes)} MiB`,
  ];
  const many = s.runs.length > MANY_RUNS;
  let quiet = 0;
  for (const r of s.runs) {
    const { head, notes } = runLines(r);
    if (many && notes.length === 0) quiet++;
    else lines.push(...head, ...notes);
  }
  if (quiet > 0) lines.push(`  … and ${quiet} other run(s) without notes (--json lists every run)`);
  if (s.unchanged.length > MANY_RUNS)
    lines.push(`  ${s.unchanged.length} capture(s) unchanged (committed with the same content), skipped`);
  else
    for (const u of s.unchanged)
      lines.push(`  ${u.image}/${u.run}: unchanged (committed with the same content), skipped`);
  lines.push(`per image (${s.images.length}):`);
  for (const x of s.images) {
    lines.push(
      `  ${x.image}: ${x.runs} run(s), ${x.files} file(s), ${x.events} events, ${x.rejected} rejected` +
        (x.unchanged > 0 ? `, ${x.unchanged} unchanged` : ""),
    );
  }
  return lines.join("\n") + "\n";
}

/** The summary as one JSON object (`--json`): the totals and per run (and split-off image) its counts. */
function summaryJson(s: IngestSummary): string {
  const { runs, ...rest } = s;
  return JSON.stringify({
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
  });
}

/** The `--sysdig-format` value, checked: only with `--format auto|sysdig-text`, and every field supported. */
function checkSysdigFormat(value: string | undefined, format: Format): string | undefined {
  if (value === undefined) return undefined;
  if (format !== "auto" && format !== "sysdig-text")
    throw new UsageError("--sysdig-format goes with --format auto or sysdig-text");
  try {
    if (compileFormat(value).fields.length === 0) throw new Error("sysdig format: no %field in it");
  } catch (e) {
    throw new UsageError(`--sysdig-format: ${messageOf(e)}`);
  }
  return value;
}

export const ingestCommand = defineCommand({
  name: "ingest",
  summary:
    "Reads strace captures (files, -ff folders, .gz) and sysdig captures (.scap, text, JSON) into a Parquet dataset (events, runs, rejects, manifest.json).\n" +
    "Each PATH is one run; by default its image is the name of the folder holding it and its run id its own name.",
  args: "PATH...",
  forms: ["ingest --manifest MANIFEST --out DATASET [options]"],
  options: {
    out: {
      type: "string",
      short: "o",
      placeholder: "DATASET",
      required: true,
      description: "dataset folder (created if missing; runs are appended)",
    },
    image: {
      type: "string",
      placeholder: "NAME",
      description: "image name for all PATHs (default: name of the folder holding each PATH)",
    },
    run: {
      type: "string",
      placeholder: "ID",
      description: "run id (only with one PATH; default: the PATH's name)",
    },
    test: {
      type: "string",
      placeholder: "NAME",
      description:
        "test case the PATHs recorded (the runs' `test` label; coverage then pools runs by test case)",
    },
    format: {
      type: "enum",
      choices: FORMATS,
      default: "auto",
      description: "capture format (auto: by content)",
    },
    "sysdig-format": {
      type: "string",
      placeholder: "FORMAT",
      description:
        "custom sysdig -p format of text captures, e.g. LID-DS's '%evt.rawtime %user.uid %proc.pid %proc.name %thread.tid %syscall.type %evt.dir %evt.args'",
    },
    workers: workersOption("worker threads (default: number of cores); output is identical for any count"),
    manifest: {
      type: "string",
      placeholder: "MANIFEST",
      description:
        "YAML or CSV file listing the captures: captures: [{path, image, run, labels}], or a .csv with a header row " +
        "(path, image, run, format; other columns are labels); a path may hold globs (*, ?, [..], **): each match is a capture",
    },
    arch: {
      type: "enum",
      choices: ARCHES,
      default: "x86_64",
      description: "architecture of the traced programs (32-bit tasks are detected)",
    },
    replace: {
      type: "boolean",
      default: false,
      description: "replace runs that already exist in the dataset",
    },
    "piece-bytes": {
      type: "number",
      placeholder: "BYTES",
      integer: true,
      min: 4096,
      description:
        "size of the pieces large files are cut into for parallel reading (default 2 MiB); the dataset does not depend on it",
    },
    shard: {
      type: "string",
      placeholder: "K/N",
      description:
        "ingest only shard K of N of the captures (by a hash of image and run), so that N processes can write one dataset",
    },
    "max-reject-share": {
      type: "number",
      placeholder: "SHARE",
      min: 0,
      max: 1,
      default: DEFAULT_MAX_REJECT_SHARE,
      description:
        "largest share of rejected lines a run may have, 0..1; a PATH of which no line parses is always an error",
    },
    "max-memory": {
      type: "string",
      placeholder: "SIZE",
      description:
        "memory budget of the process, e.g. 1G: sets the workers (at most --workers, each 96 MiB at least, its heap capped), DuckDB's memory_limit and threads, and the capture bytes read in one batch; refused below one worker's need",
    },
    json: { type: "boolean", default: false, description: "print the summary as one JSON object" },
  },
  async run(o, paths) {
    const sysdigFormat = checkSysdigFormat(o.sysdigFormat, o.format);
    const workers = checkWorkers(o.workers);
    const { concurrency, batchBytes } = applyMaxMemory(o.maxMemory, workers, "ingest");
    if (o.manifest && paths.length > 0) throw new UsageError("give either PATHs or --manifest, not both");
    if (!o.manifest && paths.length === 0)
      throw new UsageError("nothing to ingest: give PATHs or --manifest");
    if (o.run !== undefined && paths.length > 1) throw new UsageError("--run names one run: give one PATH");
    const labels = o.test === undefined ? undefined : { test: o.test };
    const all = o.manifest
      ? capturesFromManifest(o.manifest, o.format)
      : paths.map((p) => captureFromPath(p, { image: o.image, run: o.run, format: o.format, labels }));
    const captures = o.shard === undefined ? all : shardCaptures(all, parseShard(o.shard));
    // the workers start while the main thread loads the ingest's modules (measured: 0.35 s
    // earlier on the perf capture)
    const pool = lazyPool(concurrency);
    pool.get();
    const { ingest } = await import("../ingest/ingest.ts");
    const summary = await ingest({
      pool,
      maxRejectShare: o.maxRejectShare,
      pieceBytes: o.pieceBytes,
      sysdigFormat,
      captures,
      out: o.out,
      workers: concurrency,
      batchBytes,
      arch: o.arch,
      replace: o.replace,
      quiet: o.quiet,
    });
    process.stdout.write(o.json ? summaryJson(summary) + "\n" : summaryText(summary));
    return 0;
  },
});
