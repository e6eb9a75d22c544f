/**
 * Accounting over every real capture we have: each line read must end up in exactly one of
 * event / reject / skip, and the rejects must be exactly the known, explained ones.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { REASON, StraceParser, type Reject, type SkipCounts } from "../../stages/strace/parser.ts";
import {
  bundledCaptures,
  countLines,
  fileTidOf,
  listFiles,
  requireOrSkip,
  sharedDatasets,
} from "../util/datasets.ts";

interface Result {
  spliced: number;
  lines: number;
  eventLines: number;
  events: number;
  rejects: Reject[];
  skips: SkipCounts;
}

/** Same set-up as parseStraceText, minus the (slow) conversion of every row to a plain object. */
function account(text: string, fileTid: number | undefined, arch = "x86_64"): Result {
  const latin1 = Buffer.from(text, "utf8").toString("latin1");
  const batch = new EventBatch();
  const parser = new StraceParser(
    {
      capture: "capture",
      fileTid: fileTid ?? -1,
      firstLine: 1,
      startDay: 0,
      defaultState: { pos: -Infinity, phase: "unknown", comm: null, arch },
      timelines: new Map(),
      atEof: true,
    },
    batch,
  );
  const lines = parser.parseText(latin1, /[\x80-\xff]/.test(latin1));
  parser.finish();
  // every column must have one value per event (throws otherwise)
  const rb = batch.toRecordBatch();
  return {
    spliced: parser.splicedCalls,
    lines,
    eventLines: parser.eventLines,
    events: rb.numRows,
    rejects: parser.rejects,
    skips: parser.skips,
  };
}

const sum = (s: SkipCounts): number => Object.values(s).reduce((a, b) => a + (b ?? 0), 0);

/**
 * Known rejects per file (path relative to datasets/strace), by line. Everything else must have none.
 * nix-snapshotter is `strace -f` to stderr: strace's own "Process N attached" message (8 times)
 * and once the program's own stderr are written into the middle of a call line; each such call is
 * rejoined with its continuation (counted in SPLICED), so only the echoed shell command is left.
 */
const KNOWN_REJECTS: Record<string, Record<number, string>> = {
  "pdtpartners-nix-snapshotter/strace.out": {
    1: REASON.notStrace, // `bash ./script/rootless/nerdctl.sh run …` (the echoed shell command)
  },
};

/**
 * Calls rejoined after a cut, by file, checked by hand: lines 449, 515, 868, 1018, 1481, 1506,
 * 7279, 7709 (attach messages) and 8821 (`write(2, "time=…"..., 657time="…` — the program's text).
 */
const SPLICED: Record<string, number> = { "pdtpartners-nix-snapshotter/strace.out": 9 };

/** Skip counts we checked by hand (grep) for the stderr-style logs. */
const KNOWN_SKIPS: Record<string, SkipCounts> = {
  // 16 attach messages in the file, 8 of them spliced into call lines (counted in those rejects)
  "pdtpartners-nix-snapshotter/strace.out": { attach: 8, signal: 67, exit: 17 },
  "arastoob-strace-parser/multithread_strace1.log": { signal: 1, exit: 12 },
};

const shared = requireOrSkip(sharedDatasets(), "shared datasets folder");
const straceDir = shared.path === null ? null : path.join(shared.path, "strace");
const straceFiles = straceDir === null ? [] : listFiles(straceDir).filter((f) => !f.endsWith(".md"));

describe.skipIf(shared.skipReason !== null)(
  `shared strace captures${shared.skipReason ? ` (skipped: ${shared.skipReason})` : ""}`,
  () => {
    it("finds the files the README lists (1 + 1 + 18 + 132 + 1 + 1 = 154 capture files)", () => {
      expect(straceFiles.length).toBe(154);
    });

    it.each(straceFiles.map((f) => [path.relative(straceDir!, f), f]))("%s", (rel, file) => {
      const text = fs.readFileSync(file, "utf8");
      // arm-cc1 is a 32-bit x86 process (mmap2, fstat64): i386 numbers
      const r = account(text, fileTidOf(file), rel.includes("arm-cc1") ? "i386" : "x86_64");
      expect(r.lines).toBe(countLines(text));
      expect(r.lines).toBe(r.eventLines + r.rejects.length + sum(r.skips));
      const rejects = Object.fromEntries(r.rejects.map((x) => [x.line, x.reason]));
      expect(rejects).toEqual(KNOWN_REJECTS[rel] ?? {});
      expect(r.spliced).toBe(SPLICED[rel] ?? 0);
      if (KNOWN_SKIPS[rel]) expect(r.skips).toEqual(KNOWN_SKIPS[rel]);
      // every file ends with its `+++ exited with N +++` line
      expect(r.skips.exit ?? 0).toBeGreaterThanOrEqual(1);
    });

    it("reads the README's total of 55885 lines", () => {
      const total = straceFiles.reduce((n, f) => n + countLines(fs.readFileSync(f, "utf8")), 0);
      expect(total).toBe(55885);
    });
  },
);

// Captures bundled with the repository (datasets/captures/IMAGE/run-NN/trace.TID.gz, -ff style).
const bundledDir = bundledCaptures();
const bundled = bundledDir === null ? [] : listFiles(bundledDir).filter((f) => f.endsWith(".gz"));
const bundledSkip =
  bundledDir === null
    ? "datasets/captures does not exist (not recorded yet)"
    : bundled.length === 0
      ? "datasets/captures has no *.gz files"
      : null;

describe.skipIf(bundledSkip !== null)(
  `bundled captures${bundledSkip ? ` (skipped: ${bundledSkip})` : ""}`,
  () => {
    it.each(bundled.map((f) => [path.relative(bundledDir!, f), f]))("%s", (_rel, file) => {
      // the folder is re-recorded in place by datasets/record; a task file may vanish between listing and reading
      if (!fs.existsSync(file)) return;
      const text = zlib.gunzipSync(fs.readFileSync(file)).toString("utf8");
      const r = account(text, fileTidOf(file));
      expect(r.lines).toBe(countLines(text));
      expect(r.lines).toBe(r.eventLines + r.rejects.length + sum(r.skips));
      // strace -ff files of our own recordings: no rejects at all are expected
      expect(r.rejects).toEqual([]);
    });
  },
);
