/**
 * Output arrays a column builder reuses from one `finish` to the next. A worker finishes a batch
 * per piece and the Parquet writer copies it before the next piece starts, so fresh arrays per
 * finish were only garbage: tens of MB of dead ArrayBuffers per worker between collections
 * (measured: `external` 57–70 MB per worker). An array is replaced only when it is too small.
 */

/** A reused Int32Array of at least `n` values (its first `n` zeroed when `zero`). */
export class ScratchI32 {
  private a = new Int32Array(0);
  get(n: number, zero: boolean): Int32Array {
    if (this.a.length < n) this.a = new Int32Array(Math.max(n, this.a.length * 2));
    else if (zero) this.a.fill(0, 0, n);
    return this.a.subarray(0, n);
  }
}

/** A reused Uint8Array of at least `n` bytes, its first `n` set to `fill`. */
export class ScratchU8 {
  private a = new Uint8Array(0);
  get(n: number, fill: number): Uint8Array {
    if (this.a.length < n) this.a = new Uint8Array(Math.max(n, this.a.length * 2));
    this.a.fill(fill, 0, n);
    return this.a.subarray(0, n);
  }
}
