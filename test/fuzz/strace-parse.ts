/**
 * Parsing fuzz cases the way the ingest worker does (bytes read as latin1, UTF-8 checked when a
 * byte is high, the bytes themselves handed to the byte path), several cases into one shared
 * batch, with the accounting checked per case: lines read = the text's lines = event lines +
 * rejects + skips, and rows = events.
 */
import type { RecordBatch } from "apache-arrow";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { StraceParser } from "../../stages/strace/parser.ts";
import { countLines } from "../util/datasets.ts";
import { badNames, expectNone, firstDifference } from "./checks.ts";

/** One strace input and what the ingest knows of its file. */
export interface StraceInput {
  bytes: Buffer;
  fileTid: number;
  arch: string;
}

/** What one parse gave besides its rows (rows from..to of the batch). */
export interface StraceOutcome {
  from: number;
  to: number;
  counts: string;
}

/** Parses every input (`stringsOnly`: the string path only) into one batch, checking the accounting. */
export function parseStraceInputs(
  inputs: readonly StraceInput[],
  stringsOnly = false,
): { rb: RecordBatch; outcomes: StraceOutcome[] } {
  const batch = new EventBatch();
  const outcomes: StraceOutcome[] = [];
  for (const { bytes, fileTid, arch } of inputs) {
    const from = batch.length;
    const parser = new StraceParser(
      {
        capture: "fuzz",
        fileTid,
        firstLine: 1,
        startDay: 0,
        defaultState: { pos: -Infinity, phase: "unknown", comm: null, arch },
        timelines: new Map(),
        atEof: true,
        stringsOnly,
      },
      batch,
    );
    const text = bytes.toString("latin1");
    const lines = parser.parseText(text, /[\x80-\xff]/.test(text), bytes);
    parser.finish();
    const to = batch.length;
    const skipped = Object.values(parser.skips).reduce((a, b) => a + (b ?? 0), 0);
    const problems: string[] = [];
    if (lines !== countLines(text))
      problems.push(`lines read ${lines} != lines of the text ${countLines(text)}`);
    if (lines !== parser.eventLines + parser.rejects.length + skipped)
      problems.push(
        `lines ${lines} != event lines ${parser.eventLines} + rejects ${parser.rejects.length} + skips ${skipped}`,
      );
    if (to - from !== parser.events) problems.push(`rows ${to - from} != events ${parser.events}`);
    expectNone("accounting", problems);
    const counts = [
      lines,
      parser.eventLines,
      parser.events,
      parser.unfinishedNeverResumed,
      parser.splicedCalls,
      parser.unnamedCalls,
      parser.rejects,
      parser.skips,
    ];
    outcomes.push({ from, to, counts: JSON.stringify(counts) });
  }
  return { rb: batch.toRecordBatch(), outcomes };
}

/**
 * The common properties of a chunk: accounting (above), the same rows and counts when parsed
 * again, and the same on the string path, and known names only (an unknown name is a reject).
 */
export function checkStraceChunk(inputs: readonly StraceInput[]): RecordBatch {
  const a = parseStraceInputs(inputs);
  expectNone("event names", badNames(a.rb));
  for (const [what, b] of [
    ["parsed again", parseStraceInputs(inputs)],
    ["string path", parseStraceInputs(inputs, true)],
  ] as const) {
    const diff = firstDifference(a.rb, b.rb);
    if (diff !== null) throw new Error(`same input, different rows (${what}): ${diff}`);
    a.outcomes.forEach((o, k) => {
      if (o.counts !== b.outcomes[k]!.counts)
        throw new Error(`same input, different counts (${what}): ${o.counts} vs ${b.outcomes[k]!.counts}`);
    });
  }
  return a.rb;
}
