/**
 * Little-endian reads for the block walk and event decoding, without Buffer.readUInt32LE's
 * argument and bounds checks (callers check the block and event bounds first; reading past the
 * end would give a wrong value instead of an error, so they must).
 */

export function u16(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8);
}

export function i32(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

export function u32(b: Uint8Array, p: number): number {
  return i32(b, p) >>> 0;
}
