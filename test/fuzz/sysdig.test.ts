/**
 * Fuzzing the sysdig text and JSON readers with real lines: windows of 1–8 consecutive lines of
 * what sysdig 0.29.3 printed for the captures of ../shared/datasets/scap (default text, `-j`,
 * `-pc -j`, and `-pc` text made from the `-pc -j` lines), truncated, bit-flipped, with bytes
 * inserted or deleted, slices repeated into huge fields, and in JSON values (or whole lines)
 * swapped for other JSON. Whatever the damage: no exception; every line accounted for (printed events = event
 * lines + rejects + skips, and every non-blank line is an event's or a reject); each row made of
 * one or two of those events; only event names the architecture knows (or `syscall_unknown`),
 * each with its number; and the same text gives the same rows, rejects and counts.
 * Cases: 100,000 by default (FUZZ_CASES).
 */
import fc from "fast-check";
import type { RecordBatch } from "apache-arrow";
import { describe, expect, it, vi } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { parseJsonLines } from "../../stages/sysdig/json-lines.ts";
import { SysdigParser } from "../../stages/sysdig/parser.ts";
import { parseTextLines } from "../../stages/sysdig/text-lines.ts";
import { CAPTURES, expected, scapAvailability } from "../scap/captures.ts";
import { timeOfDay } from "../scap/sysdig-view.ts";
import { badNames, badNumbers, expectNone, firstDifference } from "./checks.ts";
import { casesPerFormat, fuzz, share } from "./fuzz.ts";
import { mutate, mutationsArb, type Mutation } from "./mutations.ts";

// 100,000 cases per format take 1–2 min on 2 idle cores and several times that on a loaded machine
vi.setConfig({ testTimeout: 900_000 });

const ARCH = "x86_64";
type Format = "sysdig-text" | "sysdig-json";

/** One output of sysdig: its format and lines. */
interface Output {
  name: string;
  format: Format;
  lines: string[];
}

/** `-pc` text lines from `-pc -j` ones (the same fields, as sysdig prints them). */
function pcText(json: string[]): string[] {
  return json.map((l) => {
    const o = JSON.parse(l) as Record<string, string | number | null>;
    const ts = BigInt(/"evt\.outputtime":(\d+)/.exec(l)![1]!);
    const name = o["container.name"] ?? "<NA>";
    const id = o["container.id"] ?? "host";
    return (
      `${o["evt.num"]} ${timeOfDay(ts)} ${o["evt.cpu"]} ${name} (${id}) ${o["proc.name"] ?? "<NA>"} ` +
      `(${o["thread.tid"]}:${o["thread.vtid"] ?? 0}) ${o["evt.dir"]} ${o["evt.type"]} ${o["evt.info"]}`
    );
  });
}

function outputs(): Output[] {
  const out: Output[] = [];
  for (const rel of CAPTURES) {
    for (const [suffix, format] of [
      [".txt", "sysdig-text"],
      [".jsonl", "sysdig-json"],
      [".pc.jsonl", "sysdig-json"],
    ] as const) {
      const text = expected(rel, suffix);
      if (text === null) continue;
      const lines = text.split("\n").filter((l) => l !== "");
      if (lines.length === 0) continue;
      out.push({ name: rel + suffix, format, lines });
      if (suffix === ".pc.jsonl")
        out.push({ name: rel + ".pc.txt", format: "sysdig-text", lines: pcText(lines) });
    }
  }
  return out;
}

const TEXT_TOKENS = [
  " (",
  ") ",
  "(host)",
  " > ",
  " < ",
  "=",
  " ",
  "\n",
  "\n\n",
  " res=",
  "<unknown>",
  "(1:1)",
];
const JSON_TOKENS = [
  "null",
  "[",
  "]",
  "{",
  "}",
  '"',
  ",",
  ":",
  "1e400",
  "-0",
  "99999999999999999999",
  "\\u0000",
];
/** JSON values to put where a line's value was. */
const JSON_VALUES = [
  "null",
  "true",
  "[]",
  "{}",
  '""',
  "1.5",
  "-1",
  "1e300",
  "18446744073709551616",
  '"<unknown>"',
  '"frobnicate"',
  '"syscall"',
];
/** JSON_VALUES plus a 100 KB string, in about 1 swap of 500. */
const SWAP_VALUE = fc.oneof(
  { weight: 500, arbitrary: fc.nat(JSON_VALUES.length - 1) },
  { weight: 1, arbitrary: fc.constant(JSON_VALUES.length) },
);

interface SysdigCase {
  output: number;
  start: number;
  count: number;
  /** in JSON: line (of the window) and key whose value (or the line) is swapped for JSON_VALUES[value]. */
  swap: { line: number; key: number; value: number } | null;
  muts: Mutation[];
}

function caseArb(all: readonly Output[]): fc.Arbitrary<SysdigCase> {
  const textMuts = mutationsArb(TEXT_TOKENS);
  const jsonMuts = mutationsArb(JSON_TOKENS);
  return fc.nat({ max: all.length - 1 }).chain((output) =>
    fc.record({
      output: fc.constant(output),
      start: fc.nat({ max: 1 << 20 }),
      count: fc.integer({ min: 1, max: 8 }),
      swap:
        all[output]!.format === "sysdig-json"
          ? fc.option(
              fc.record({
                line: fc.nat({ max: 15 }),
                key: fc.nat({ max: 15 }),
                value: SWAP_VALUE,
              }),
              { freq: 3 },
            )
          : fc.constant(null),
      muts: all[output]!.format === "sysdig-json" ? jsonMuts : textMuts,
    }),
  );
}

/** A JSON line with the value of its `key`-th key replaced by `value` (past the last key: the line). */
function swapped(line: string, key: number, value: string | undefined): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const keys = Object.keys(o);
  const v = value ?? JSON.stringify("x".repeat(100_000));
  // one key past the last: the whole line is the value (`null` was a TypeError)
  if (key % (keys.length + 1) === keys.length) return v;
  const k = keys[key % keys.length];
  if (k === undefined) return line;
  const rest = keys.map((x) =>
    x === k ? `${JSON.stringify(x)}:${v}` : `${JSON.stringify(x)}:${JSON.stringify(o[x])}`,
  );
  return `{${rest.join(",")}}`;
}

function textOf(all: readonly Output[], c: SysdigCase): { format: Format; text: string } {
  const o = all[c.output % all.length]!;
  const s = c.start % o.lines.length;
  const lines = o.lines.slice(s, s + c.count);
  if (c.swap !== null) {
    const i = c.swap.line % lines.length;
    // keep evt.outputtime exact: swapping re-serializes the other values (JSON.parse rounds it)
    const line = lines[i]!;
    const t = /"evt\.outputtime":(\d+)/.exec(line)?.[1];
    let out = swapped(line, c.swap.key, JSON_VALUES[c.swap.value]);
    if (t !== undefined) out = out.replace(/"evt\.outputtime":[0-9.e+]+/, `"evt.outputtime":${t}`);
    lines[i] = out;
  }
  const bytes = mutate(Buffer.from(lines.join("\n") + "\n", "utf8"), c.muts);
  return { format: o.format, text: bytes.toString("utf8") };
}

interface Outcome {
  from: number;
  to: number;
  counts: string;
  eventLines: number;
  events: number;
}

function parseAll(inputs: readonly { format: Format; text: string }[]): {
  rb: RecordBatch;
  outcomes: Outcome[];
} {
  const batch = new EventBatch();
  const outcomes: Outcome[] = [];
  for (const { format, text } of inputs) {
    const from = batch.length;
    const p = new SysdigParser({ capture: "fuzz", arch: ARCH, phase: "unknown", format }, batch);
    p.parse(text);
    const to = batch.length;
    const skipped = Object.values(p.skipped).reduce((a, b) => a + b, 0);
    const problems: string[] = [];
    if (p.lines !== p.eventLines + p.rejects.length + skipped)
      problems.push(
        `events ${p.lines} != event lines ${p.eventLines} + rejects ${p.rejects.length} + skips ${skipped}`,
      );
    if (to - from !== p.events) problems.push(`rows ${to - from} != events ${p.events}`);
    // every non-blank line is one of a printed event's lines, or a reject
    const read = format === "sysdig-json" ? parseJsonLines(text) : parseTextLines(text);
    const nonBlank = text.split("\n").filter((l) => l !== "").length;
    const held = read.records.reduce((n, r) => n + r.raw.split("\n").filter((l) => l !== "").length, 0);
    if (nonBlank !== held + read.rejects.length)
      problems.push(`non-blank lines ${nonBlank} != event lines ${held} + rejects ${read.rejects.length}`);
    if (read.records.length + read.rejects.length !== p.lines)
      problems.push(`reader ${read.records.length} + ${read.rejects.length} != parser lines ${p.lines}`);
    expectNone("accounting", problems);
    outcomes.push({
      from,
      to,
      eventLines: p.eventLines,
      events: p.events,
      counts: JSON.stringify([
        p.lines,
        p.eventLines,
        p.events,
        p.unfinishedNeverResumed,
        p.rejects,
        p.skipped,
      ]),
    });
  }
  return { rb: batch.toRecordBatch(), outcomes };
}

function checkChunk(all: readonly Output[], chunk: readonly SysdigCase[]): void {
  const inputs = chunk.map((c) => textOf(all, c));
  const a = parseAll(inputs);
  expectNone("event names", badNames(a.rb));
  expectNone("event numbers", badNumbers(a.rb));
  const b = parseAll(inputs);
  const diff = firstDifference(a.rb, b.rb);
  if (diff !== null) throw new Error(`same input, different rows: ${diff}`);
  const dur = a.rb.getChild("duration_ns")!;
  a.outcomes.forEach((o, k) => {
    if (o.counts !== b.outcomes[k]!.counts) throw new Error(`same input, different counts: ${o.counts}`);
    let joined = 0;
    for (let i = o.from; i < o.to; i++) if (dur.get(i) !== null) joined++;
    if (o.eventLines !== o.events + joined)
      throw new Error(`event lines ${o.eventLines} != rows ${o.events} + joined rows ${joined}`);
  });
}

describe.skipIf(scapAvailability.skipReason !== null)("fuzz: sysdig text and JSON lines", () => {
  const total = casesPerFormat();

  it("mutated real lines: no exception, every line accounted for, known names, deterministic", () => {
    const all = outputs();
    const r = fuzz({
      name: "sysdig lines",
      seed: 0x5d16,
      cases: share(total, 1),
      arb: caseArb(all),
      check: (chunk) => checkChunk(all, chunk),
      show: (c) => {
        const { format, text } = textOf(all, c);
        return `${format}: ${JSON.stringify(text.length > 4096 ? text.slice(0, 4096) + "…" : text)} // ${JSON.stringify(c)}`;
      },
    });
    console.log(`fuzz sysdig lines: ${r.cases} cases in ${r.runs} runs (seed ${r.seed})`);
    expect(r.cases).toBeGreaterThan(0);
  });
});
