/**
 * Fuzzing the scap reader and parser with real blocks: small captures assembled from the blocks
 * of ../shared/datasets/scap (section header, some metadata, 1–12 consecutive event blocks), then
 * truncated, bit-flipped, with bytes inserted or deleted, integers overwritten with edge values,
 * slices repeated into huge fields and parameters grown to tens of KiB. Whatever the damage:
 * no exception; every block accounted for as the parser accounts (blocks and damaged stretches =
 * event blocks + rejects + skips, at most one per 4 bytes); each row made of one or two of those event blocks; rejects in
 * file order inside the data; only event names the architecture knows (or `syscall_0x…`,
 * `syscall_unknown`), each with its number; and the same bytes give the same rows, rejects and
 * counts. Cases: 100,000 by default (FUZZ_CASES).
 */
import fc from "fast-check";
import type { RecordBatch } from "apache-arrow";
import { describe, expect, it, vi } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { EVENT_LAYOUTS } from "../../stages/scap/block-ids.ts";
import { ScapEvent, decodeEvent } from "../../stages/scap/event.ts";
import { inflate } from "../../stages/scap/inflate.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import { scapAvailability } from "../scap/captures.ts";
import { badNames, badNumbers, expectNone, firstDifference } from "./checks.ts";
import { casesPerFormat, fuzz, share } from "./fuzz.ts";
import { bytesLiteral, mutate, mutationsArb, type Mutation } from "./mutations.ts";
import { assemble, scapCorpus, scapPickArb, type ScapBlocks, type ScapPick } from "./scap-corpus.ts";

// 100,000 cases per format take 1–2 min on 2 idle cores and several times that on a loaded machine
vi.setConfig({ testTimeout: 900_000 });

const ARCH = "x86_64";

/** Grows parameter `param` of event block `event` (of the case's window) by `by` bytes. */
interface Grow {
  event: number;
  param: number;
  by: number;
}

interface ScapCase {
  pick: ScapPick;
  grow: Grow | null;
  muts: Mutation[];
}

/** The bytes of a scap block `b` with one parameter grown (lengths, block length and trailer fixed). */
function grown(b: Buffer, g: Grow): Buffer {
  const layout = EVENT_LAYOUTS.get(b.readUInt32LE(0));
  if (layout === undefined) return b;
  const ev = new ScapEvent();
  if (decodeEvent(b, 8, b.readUInt32LE(4) - 4, layout, ev) !== null || ev.nparams === 0) return b;
  const i = g.param % ev.nparams;
  const hdr = ev.offset;
  const large = ev.start[0]! - (hdr + (layout.v2 ? 26 : 22)) === 4 * ev.nparams;
  const width = large ? 4 : 2;
  const by = Math.min(g.by, (large ? 0x7fffffff : 0xffff) - ev.len[i]!);
  if (by <= 0) return b;
  const end = ev.start[i]! + ev.len[i]!;
  const evLen = b.readUInt32LE(hdr + 16);
  const bodyEnd = hdr + evLen;
  const filler = Buffer.alloc(by, ev.len[i]! > 0 ? b[ev.start[i]!]! : 0x41);
  const body = Buffer.concat([b.subarray(0, end), filler, b.subarray(end, bodyEnd)]);
  const lenAt = hdr + (layout.v2 ? 26 : 22) + width * i;
  if (width === 2) body.writeUInt16LE(ev.len[i]! + by, lenAt);
  else body.writeUInt32LE(ev.len[i]! + by, lenAt);
  body.writeUInt32LE(evLen + by, hdr + 16);
  const total = Math.ceil((body.length + 4) / 4) * 4;
  const out = Buffer.alloc(total);
  body.copy(out);
  out.writeUInt32LE(total, 4);
  out.writeUInt32LE(total, total - 4);
  return out;
}

/** The bytes of a case: its blocks (one parameter grown), then the damage. */
function bytesOf(corpus: readonly ScapBlocks[], c: ScapCase): Buffer {
  let pick = assemble(corpus, c.pick);
  if (c.grow !== null) {
    const cap = corpus[c.pick.capture % corpus.length]!;
    const s = (c.pick.start % cap.events.length) + (c.grow.event % c.pick.count);
    const block = cap.events[s];
    if (block !== undefined) {
      const at = pick.indexOf(block);
      if (at >= 0)
        pick = Buffer.concat([pick.subarray(0, at), grown(block, c.grow), pick.subarray(at + block.length)]);
    }
  }
  return mutate(pick, c.muts);
}

const TOKENS = ["\x0a\x0d\x0d\x0a", "\x16\x02\x00\x00", "\x04\x02\x00\x00", "\x00\x00\x00\x00", "\xff\xff"];

function caseArb(corpus: readonly ScapBlocks[]): fc.Arbitrary<ScapCase> {
  return fc.record({
    pick: scapPickArb(corpus),
    grow: fc.oneof(
      { weight: 15, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.record({
          event: fc.nat({ max: 11 }),
          param: fc.nat({ max: 31 }),
          by: fc.integer({ min: 1, max: 60_000 }),
        }),
      },
    ),
    muts: mutationsArb(TOKENS, true),
  });
}

/** What one parse gave, besides its rows. */
interface Outcome {
  from: number;
  to: number;
  counts: string;
}

function parseAll(inputs: readonly Buffer[]): { rb: RecordBatch; outcomes: Outcome[] } {
  const batch = new EventBatch();
  const outcomes: Outcome[] = [];
  for (const bytes of inputs) {
    const from = batch.length;
    const p = new ScapParser({ capture: "fuzz", arch: ARCH, phase: "unknown" }, batch);
    p.parse(bytes);
    const to = batch.length;
    const s = p.stats;
    const skipped = Object.values(p.skipped).reduce((a, b) => a + b, 0);
    const problems: string[] = [];
    if (s.lines !== p.eventLines + s.rejects.length + skipped)
      problems.push(
        `blocks ${s.lines} != event blocks ${p.eventLines} + rejects ${s.rejects.length} + skips ${skipped}`,
      );
    if (to - from !== p.events) problems.push(`rows ${to - from} != events ${p.events}`);
    if (p.eventLines < p.events || p.eventLines > 2 * p.events)
      problems.push(`event blocks ${p.eventLines} for ${p.events} rows`);
    const size = inflate(bytes).bytes.length;
    // the walk's own counter bounds its work: each block or damaged stretch moves on >= 4 bytes
    if (s.lines > Math.floor(size / 4) + 1) problems.push(`${s.lines} blocks and rejects in ${size} bytes`);
    let last = 0;
    for (const r of s.rejects) {
      if (r.line <= last || r.line > s.lines)
        problems.push(`reject line ${r.line} after ${last} of ${s.lines}`);
      if (r.offset < 0 || r.offset > size) problems.push(`reject offset ${r.offset} outside ${size} bytes`);
      last = r.line;
    }
    expectNone("accounting", problems);
    outcomes.push({
      from,
      to,
      counts: JSON.stringify([
        s.lines,
        p.eventLines,
        p.events,
        p.unfinishedNeverResumed,
        s.rejects,
        p.skipped,
      ]),
    });
  }
  return { rb: batch.toRecordBatch(), outcomes };
}

/** Rows with both an enter and an exit event: duration known. */
function joinedRows(rb: RecordBatch, from: number, to: number): number {
  const d = rb.getChild("duration_ns")!;
  let n = 0;
  for (let i = from; i < to; i++) if (d.get(i) !== null) n++;
  return n;
}

function checkChunk(corpus: readonly ScapBlocks[], chunk: readonly ScapCase[]): void {
  const inputs = chunk.map((c) => bytesOf(corpus, c));
  const a = parseAll(inputs);
  expectNone("event names", badNames(a.rb));
  expectNone("event numbers", badNumbers(a.rb));
  const b = parseAll(inputs);
  const diff = firstDifference(a.rb, b.rb);
  if (diff !== null) throw new Error(`same input, different rows: ${diff}`);
  a.outcomes.forEach((o, k) => {
    if (o.counts !== b.outcomes[k]!.counts) throw new Error(`same input, different counts: ${o.counts}`);
    const joined = joinedRows(a.rb, o.from, o.to);
    const [, eventLines, events] = JSON.parse(o.counts) as number[];
    if (eventLines !== events! + joined)
      throw new Error(`event blocks ${eventLines} != rows ${events} + joined rows ${joined}`);
  });
}

describe.skipIf(scapAvailability.skipReason !== null)("fuzz: scap blocks", () => {
  const total = casesPerFormat();

  it("mutated real blocks: no exception, every block accounted for, known names, deterministic", () => {
    const corpus = scapCorpus();
    const r = fuzz({
      name: "scap blocks",
      seed: 0x5ca9,
      cases: share(total, 1),
      arb: caseArb(corpus),
      check: (chunk) => checkChunk(corpus, chunk),
      show: (c) => `${bytesLiteral(bytesOf(corpus, c))} // ${JSON.stringify(c)}`,
    });
    console.log(`fuzz scap blocks: ${r.cases} cases in ${r.runs} runs (seed ${r.seed})`);
    expect(r.cases).toBeGreaterThan(0);
  });
});
