/**
 * Reads a whole capture, gunzipping it when it starts with the gzip magic (`sysdig -z`). A cut or
 * corrupt gzip stream is an error, as it is for strace captures (pipeline/ingest/read-piece.ts):
 * what it would still yield is a prefix that cannot be told from a whole capture, and a text
 * capture's prefix would be ingested without a single reject.
 */
import { gunzipSync } from "node:zlib";

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

/** Decompresses `raw` if it is gzip; throws GZIP_CORRUPT (and zlib's reason) when it is damaged. */
export function inflate(raw: Buffer): Inflated {
  if (!isGzip(raw)) return { bytes: raw, gzip: false };
  try {
    return { bytes: gunzipSync(raw), gzip: true };
  } catch (e) {
    throw new Error(`${GZIP_CORRUPT} (${(e as Error).message})`);
  }
}
