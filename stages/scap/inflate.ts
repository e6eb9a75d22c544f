/**
 * Reads a whole capture, gunzipping it when it starts with the gzip magic (`sysdig -z`). A cut or
 * corrupt gzip stream is an error, as it is for strace captures (pipeline/ingest/read-piece.ts):
 * what it would still yield is a prefix that cannot be told from a whole capture, and a text
 * capture's prefix would be ingested without a single reject.
 */
import { constants, gunzipSync } from "node:zlib";

/** The start of the message of a damaged gzip stream, as strace captures have it. */
export const GZIP_CORRUPT = "corrupt gzip data";

/** The bytes to parse. */
export interface Inflated {
  bytes: Buffer;
  gzip: boolean;
}

/** true when `b` starts with the gzip magic 1f 8b. */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * Byte offset in the gzip data where zlib finds the damage: the longest prefix that still inflates
 * (flushed, as a cut stream would) without an error. Binary search, only on the error path.
 */
export function gzipDamageOffset(raw: Buffer): number {
  let good = 0;
  let bad = raw.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    try {
      gunzipSync(raw.subarray(0, mid), { finishFlush: constants.Z_SYNC_FLUSH });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return bad;
}

/**
 * Decompresses `raw` if it is gzip; throws GZIP_CORRUPT, zlib's reason and the byte offset in the
 * gzip data where the damage was found (the reader adds the file) when it is damaged.
 */
export function inflate(raw: Buffer): Inflated {
  if (!isGzip(raw)) return { bytes: raw, gzip: false };
  try {
    return { bytes: gunzipSync(raw), gzip: true };
  } catch (e) {
    const at = gzipDamageOffset(raw);
    throw new Error(`${GZIP_CORRUPT} (${(e as Error).message}) at byte ${at} of the gzip data`);
  }
}
