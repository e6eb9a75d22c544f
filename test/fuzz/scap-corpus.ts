/**
 * Real scap blocks to fuzz with: the blocks of every capture in ../shared/datasets/scap, and
 * small captures assembled from them (the section header, some metadata blocks, a window of
 * consecutive event blocks), as the reader sees them after gunzip.
 */
import fc from "fast-check";
import { BLOCK_KINDS, EVENT_LAYOUTS } from "../../stages/scap/block-ids.ts";
import { walkBlocks } from "../../stages/scap/blocks.ts";
import { inflate } from "../../stages/scap/inflate.ts";
import { CAPTURES, capture } from "../scap/captures.ts";

/** The blocks of one capture. */
export interface ScapBlocks {
  name: string;
  shb: Buffer;
  /** machine info, interface and user lists (small). */
  small: Buffer[];
  proclist: Buffer[];
  fdlists: Buffer[];
  events: Buffer[];
}

let cached: ScapBlocks[] | null = null;

/** Every capture cut into its blocks (read once). */
export function scapCorpus(): ScapBlocks[] {
  if (cached !== null) return cached;
  cached = [];
  for (const name of CAPTURES) {
    const bytes = inflate(capture(name)).bytes;
    const c: ScapBlocks = { name, shb: Buffer.alloc(0), small: [], proclist: [], fdlists: [], events: [] };
    walkBlocks(bytes, {
      block(type, offset, length) {
        const b = Buffer.from(bytes.subarray(offset, offset + length));
        const kind = BLOCK_KINDS.get(type);
        if (kind === "shb") c.shb = b;
        else if (EVENT_LAYOUTS.has(type)) c.events.push(b);
        else if (kind === "proclist") c.proclist.push(b);
        else if (kind === "fdlist") c.fdlists.push(b);
        else c.small.push(b);
      },
      reject(offset, reason) {
        throw new Error(`${name}: ${reason} at ${offset}`);
      },
    });
    if (c.events.length > 0) cached.push(c);
  }
  return cached;
}

/** Which blocks of a capture a case is built from. */
export interface ScapPick {
  capture: number;
  /** bit 0: no section header; 1: the small metadata blocks; 2: the process list; 3: fd lists. */
  meta: number;
  start: number;
  count: number;
}

/** Picks of 1–12 consecutive event blocks; the process list (large) in about 1 case of 40. */
export function scapPickArb(corpus: readonly ScapBlocks[]): fc.Arbitrary<ScapPick> {
  return fc.record({
    capture: fc.nat({ max: corpus.length - 1 }),
    meta: fc.oneof(
      { weight: 30, arbitrary: fc.constantFrom(0, 2, 8, 10) },
      { weight: 1, arbitrary: fc.constantFrom(1, 4, 6, 14) },
    ),
    start: fc.nat({ max: 1 << 20 }),
    count: fc.integer({ min: 1, max: 12 }),
  });
}

/** The capture bytes of a pick. */
export function assemble(corpus: readonly ScapBlocks[], p: ScapPick): Buffer {
  const c = corpus[p.capture % corpus.length]!;
  const parts: Buffer[] = [];
  if ((p.meta & 1) === 0) parts.push(c.shb);
  if (p.meta & 2) parts.push(...c.small);
  if (p.meta & 4) parts.push(...c.proclist);
  if (p.meta & 8 && c.fdlists.length > 0) {
    const f = p.start % c.fdlists.length;
    parts.push(...c.fdlists.slice(f, f + 3));
  }
  const s = p.start % c.events.length;
  parts.push(...c.events.slice(s, s + p.count));
  return Buffer.concat(parts);
}
