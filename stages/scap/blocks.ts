/**
 * Walks the blocks of a scap stream (pcapng-shaped: u32 type, u32 total length, body, u32 trailer
 * length). Damaged blocks become rejects with their byte offset and reason; reading then resumes at
 * the next position that holds a well-formed block of a known type, so the rest still ingests.
 */
import { BLOCK_KINDS, BYTE_ORDER_MAGIC, SHB } from "./block-ids.ts";
import { u32 } from "./le.ts";

/** Reasons, as named constants so tests and users can match them. */
export const BLOCK_REASON = {
  truncated: "truncated block",
  badLength: "block length is not a multiple of 4 or below the 12-byte minimum",
  pastEnd: "block length points past the end of the data",
  trailer: "block trailer length differs from its header length",
  magic: "wrong magic: the data does not start with a section header block (0A 0D 0D 0A)",
  byteOrder: "section header with a wrong byte-order magic (not little-endian scap)",
} as const;

/** Receives the blocks and rejects of a stream, in file order. */
export interface BlockSink {
  block(type: number, offset: number, length: number): void;
  reject(offset: number, reason: string, detail: string): void;
}

/** true when a well-formed block of a known type starts at `pos`. */
function plausible(buf: Buffer, pos: number): boolean {
  if (pos + 12 > buf.length) return false;
  const len = u32(buf, pos + 4);
  return (
    BLOCK_KINDS.has(u32(buf, pos)) &&
    len >= 12 &&
    len % 4 === 0 &&
    pos + len <= buf.length &&
    u32(buf, pos + len - 4) === len
  );
}

/** The next position at or after `from` (4-byte steps) where a plausible block starts, or the end. */
function resync(buf: Buffer, from: number): number {
  for (let p = from; p + 12 <= buf.length; p += 4) if (plausible(buf, p)) return p;
  return buf.length;
}

/** Walks every block of `buf`; returns the number of blocks delivered. */
export function walkBlocks(buf: Buffer, sink: BlockSink): number {
  let pos = 0;
  let blocks = 0;
  const n = buf.length;
  while (pos < n) {
    if (n - pos < 12) {
      sink.reject(pos, BLOCK_REASON.truncated, `${n - pos} bytes left, a block needs at least 12`);
      break;
    }
    const type = u32(buf, pos);
    const len = u32(buf, pos + 4);
    let bad: [string, string] | null = null;
    if (len < 12 || len % 4 !== 0) bad = [BLOCK_REASON.badLength, `length ${len}`];
    else if (pos + len > n)
      bad = [BLOCK_REASON.pastEnd, `length ${len}, ${n - pos} bytes left (truncated block)`];
    else if (u32(buf, pos + len - 4) !== len)
      bad = [BLOCK_REASON.trailer, `header ${len}, trailer ${u32(buf, pos + len - 4)}`];
    else if (type === SHB && u32(buf, pos + 8) !== BYTE_ORDER_MAGIC)
      bad = [BLOCK_REASON.byteOrder, `0x${u32(buf, pos + 8).toString(16)}`];
    else if (pos === 0 && type !== SHB) bad = [BLOCK_REASON.magic, `block type 0x${type.toString(16)}`];
    if (bad) {
      sink.reject(pos, bad[0], bad[1]);
      // a well-formed block with a wrong first magic is skipped whole; otherwise look for the next one
      pos = bad[0] === BLOCK_REASON.magic ? pos + len : resync(buf, pos + 4);
      continue;
    }
    sink.block(type, pos, len);
    blocks++;
    pos += len;
  }
  return blocks;
}
