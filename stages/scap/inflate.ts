/**
 * Reads a whole capture, gunzipping it when it starts with the gzip magic (`sysdig -z`), and keeps
 * what a cut or corrupt gzip stream still yields instead of failing.
 */
import { constants, gunzipSync } from "node:zlib";

/** The bytes to parse, and the reason the gzip stream ended early, if it did. */
export interface Inflated {
  bytes: Buffer;
  gzip: boolean;
  /** set when the gzip stream was cut short or corrupt: `bytes` is what it yielded. */
  gzipError: string | null;
}

/** true when `b` starts with the gzip magic 1f 8b. */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Decompresses `raw` if it is gzip; a damaged stream gives its readable prefix and a reason. */
export function inflate(raw: Buffer): Inflated {
  if (!isGzip(raw)) return { bytes: raw, gzip: false, gzipError: null };
  try {
    return { bytes: gunzipSync(raw), gzip: true, gzipError: null };
  } catch (e) {
    // Z_SYNC_FLUSH returns everything decodable so far instead of throwing on a missing end
    let bytes: Buffer;
    try {
      bytes = gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      bytes = Buffer.alloc(0);
    }
    return { bytes, gzip: true, gzipError: `gzip stream cut short or corrupt (${(e as Error).message})` };
  }
}
