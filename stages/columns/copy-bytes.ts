/**
 * Copies short byte ranges between buffers, four bytes at a time through DataViews: for the
 * 20–200-byte values of the strace columns this is ~3x a byte loop and ~2x `set(subarray())`
 * (which allocates a view per value; measured).
 */

let lastSrc: Uint8Array | null = null;
let lastView: DataView | null = null;

/** A DataView over all of `a`; the last one is kept (values come from one piece at a time). */
export function viewOf(a: Uint8Array): DataView {
  if (a !== lastSrc) {
    lastSrc = a;
    lastView = new DataView(a.buffer, a.byteOffset, a.byteLength);
  }
  return lastView!;
}

/** Copies src[a, b) to dst at `at` (`dv` is a DataView over dst); returns the end offset in dst. */
export function copyBytes(
  src: Uint8Array,
  a: number,
  b: number,
  dst: Uint8Array,
  dv: DataView,
  at: number,
): number {
  if (b - a >= 8) {
    const sv = viewOf(src);
    for (; a + 4 <= b; a += 4, at += 4) dv.setUint32(at, sv.getUint32(a));
  }
  for (; a < b; a++) dst[at++] = src[a]!;
  return at;
}
