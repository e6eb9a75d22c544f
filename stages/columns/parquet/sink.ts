/** A growable byte buffer, reused from page to page (it keeps the capacity it grew to). */
export class ByteSink {
  buf: Uint8Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  reset(): void {
    this.length = 0;
  }

  private need(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }

  /** Makes room for `n` bytes at the end; returns their offset. */
  reserve(n: number): number {
    this.need(n);
    const at = this.length;
    this.length += n;
    return at;
  }

  byte(b: number): void {
    this.need(1);
    this.buf[this.length++] = b;
  }

  varint(x: number): void {
    this.need(10);
    while (x >= 0x80) {
      this.buf[this.length++] = (x % 128) | 0x80;
      x = Math.floor(x / 128);
    }
    this.buf[this.length++] = x;
  }

  copy(bytes: Uint8Array): void {
    this.need(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  setU32(at: number, x: number): void {
    this.buf[at] = x & 0xff;
    this.buf[at + 1] = (x >>> 8) & 0xff;
    this.buf[at + 2] = (x >>> 16) & 0xff;
    this.buf[at + 3] = x >>> 24;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
