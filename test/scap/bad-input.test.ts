/**
 * Damaged scap input: each damage gives a reject with its byte offset and reason, and every other
 * block of the file is still read. Built by damaging real captures in memory.
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { EVENT_LAYOUTS } from "../../stages/scap/block-ids.ts";
import { BLOCK_REASON, walkBlocks } from "../../stages/scap/blocks.ts";
import { EVENT_REASON } from "../../stages/scap/event.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { capture, scapAvailability } from "./captures.ts";

/** Offsets and lengths of the event blocks of a decompressed capture. */
function eventBlocks(b: Buffer): { offset: number; length: number }[] {
  const out: { offset: number; length: number }[] = [];
  walkBlocks(b, {
    block: (type, offset, length) => {
      if (EVENT_LAYOUTS.has(type)) out.push({ offset, length });
    },
    reject: () => {},
  });
  return out;
}

function count(b: Buffer): { events: number; stats: ReturnType<typeof readScap> } {
  let events = 0;
  const stats = readScap(b, () => events++);
  return { events, stats };
}

/** Parses through the row builder and checks that every block is accounted for. */
function accounted(b: Buffer): ScapParser {
  const p = new ScapParser({ capture: "t", arch: "x86_64", phase: "unknown" }, new EventBatch());
  p.parse(b);
  const skipped = Object.values(p.skipped).reduce((a, c) => a + c, 0);
  expect(p.stats.lines).toBe(p.eventLines + p.stats.rejects.length + skipped);
  return p;
}

describe.skipIf(scapAvailability.skipReason !== null)("bad scap input", () => {
  const v1 = (): Buffer => gunzipSync(capture("falcosecurity-falco/cat_write.scap")); // 0x204 blocks
  const v2 = (): Buffer => gunzipSync(capture("falcosecurity-falco/ping_sendto.scap")); // 0x216 blocks
  const full1 = 345;
  const full2 = 1526;

  it("reads the undamaged captures whole", () => {
    expect(count(v1()).events).toBe(full1);
    expect(count(v2()).events).toBe(full2);
  });

  it("a truncated last block: reject at its offset, everything before it read", () => {
    const b = v1();
    const last = eventBlocks(b).at(-1)!;
    const cut = b.subarray(0, last.offset + 20);
    const { events, stats } = count(cut);
    expect(events).toBe(full1 - 1);
    expect(stats.rejects).toMatchObject([{ offset: last.offset, reason: BLOCK_REASON.pastEnd }]);
    accounted(cut);
  });

  it("fewer than 12 bytes left: a truncated-block reject", () => {
    const b = v1();
    const last = eventBlocks(b).at(-1)!;
    const { stats } = count(b.subarray(0, last.offset + 6));
    expect(stats.rejects).toMatchObject([{ offset: last.offset, reason: BLOCK_REASON.truncated }]);
  });

  it("a wrong magic: reject at offset 0, the rest read", () => {
    const b = v1();
    b.writeUInt32LE(0xdeadbeef, 0);
    const { events, stats } = count(b);
    expect(events).toBe(full1);
    expect(stats.rejects).toMatchObject([{ offset: 0, reason: BLOCK_REASON.magic }]);
    accounted(b);
  });

  it("a big-endian (byte-swapped) section header: reject, the rest read", () => {
    const b = v1();
    b.writeUInt32BE(0x1a2b3c4d, 8);
    const { events, stats } = count(b);
    expect(events).toBe(full1);
    expect(stats.rejects).toMatchObject([{ offset: 0, reason: BLOCK_REASON.byteOrder }]);
  });

  it("a length field past the end: reject at the block, reading resumes at the next block", () => {
    const b = v1();
    const blk = eventBlocks(b)[100]!;
    b.writeUInt32LE(0x7ffffff0, blk.offset + 4);
    const { events, stats } = count(b);
    expect(events).toBe(full1 - 1);
    expect(stats.rejects).toMatchObject([{ offset: blk.offset, reason: BLOCK_REASON.pastEnd }]);
    accounted(b);
  });

  it("a trailer that differs from the header length: reject, the next blocks read", () => {
    const b = v2();
    const blk = eventBlocks(b)[500]!;
    b.writeUInt32LE(blk.length + 4, blk.offset + blk.length - 4);
    const { events, stats } = count(b);
    expect(events).toBe(full2 - 1);
    expect(stats.rejects).toMatchObject([{ offset: blk.offset, reason: BLOCK_REASON.trailer }]);
    accounted(b);
  });

  it("an event with more parameters than its type has: reject with the reason", () => {
    const b = v2();
    const blk = eventBlocks(b)[200]!;
    b.writeUInt32LE(99, blk.offset + 8 + 2 + 22); // nparams after cpuid and ts, tid, len, type
    const { events, stats } = count(b);
    expect(events).toBe(full2 - 1);
    expect(stats.rejects).toHaveLength(1);
    expect(stats.rejects[0]!.offset).toBe(blk.offset);
    expect(stats.rejects[0]!.reason).toContain(EVENT_REASON.tooManyParams);
    accounted(b);
  });

  it("a v1 event whose lengths fit no parameter count: reject", () => {
    const b = v1();
    const blk = eventBlocks(b)[150]!;
    b.writeUInt16LE(0xffff, blk.offset + 8 + 2 + 22); // first parameter length
    const { events, stats } = count(b);
    expect(events).toBe(full1 - 1);
    expect(stats.rejects[0]!.reason).toContain(EVENT_REASON.tooManyParams);
  });

  it("an unknown block type is skipped by length and counted", () => {
    const b = v1();
    const extra = Buffer.alloc(16);
    extra.writeUInt32LE(0x999, 0);
    extra.writeUInt32LE(16, 4);
    extra.writeUInt32LE(16, 12);
    const at = eventBlocks(b)[10]!.offset;
    const c = Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
    const { events, stats } = count(c);
    expect(events).toBe(full1);
    expect(stats.skipped.unknown_block).toBe(1);
    expect(stats.rejects).toEqual([]);
  });

  it("an unknown event type is skipped by length and counted", () => {
    const b = v2();
    const blk = eventBlocks(b)[300]!;
    b.writeUInt16LE(5000, blk.offset + 8 + 2 + 20);
    const { events, stats } = count(b);
    expect(events).toBe(full2 - 1);
    expect(stats.skipped.unknown_event_type).toBe(1);
    accounted(b);
  });

  it("several sections in one file are all read", () => {
    const { events, stats } = count(Buffer.concat([v1(), v2()]));
    expect(events).toBe(full1 + full2);
    expect(stats.sections).toBe(2);
    expect(stats.rejects).toEqual([]);
  });

  it("a gzip stream cut short or corrupt is an error, as for strace captures (its prefix was read as a capture)", () => {
    const gz = capture("falcosecurity-falco/cat_write.scap");
    const cut = gz.subarray(0, Math.floor(gz.length * 0.9)); // the first ~75% are metadata blocks
    expect(() => count(cut)).toThrow(/^corrupt gzip data \(unexpected end of file\)/);
    const flipped = Buffer.from(gz);
    flipped[gz.length >> 1]! ^= 0xff;
    expect(() => accounted(flipped)).toThrow(/^corrupt gzip data/);
  });
});
