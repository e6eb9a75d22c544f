/**
 * The Thrift compact protocol, write side only, as Parquet's footer and page headers use it
 * (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md): field
 * headers as deltas of the field id, zigzag varints, lists with their element type.
 */

import { ByteSink } from "./sink.ts";

/** Compact protocol element types. */
export const T = { I16: 4, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

export class ThriftWriter {
  private readonly out = new ByteSink(4096);
  /** last field id of each open struct (the innermost last) */
  private readonly last: number[] = [0];

  private byte(b: number): void {
    this.out.byte(b);
  }

  /** An unsigned varint of a non-negative integer below 2^53. */
  varint(x: number): void {
    this.out.varint(x);
  }

  /** A zigzag varint of an integer with |x| < 2^52. */
  private zigzag(x: number): void {
    this.varint(x >= 0 ? 2 * x : -2 * x - 1);
  }

  /** Starts field `id` of type `type` in the current struct. */
  field(id: number, type: number): this {
    const delta = id - this.last[this.last.length - 1]!;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.last[this.last.length - 1] = id;
    return this;
  }

  i32(id: number, x: number): this {
    this.field(id, T.I32).zigzag(x);
    return this;
  }

  i64(id: number, x: number): this {
    this.field(id, T.I64).zigzag(x);
    return this;
  }

  binary(id: number, bytes: Uint8Array): this {
    this.field(id, T.BINARY).bytesValue(bytes);
    return this;
  }

  string(id: number, s: string): this {
    return this.binary(id, new TextEncoder().encode(s));
  }

  /** A length-prefixed byte string (a list element or a field value). */
  bytesValue(bytes: Uint8Array): void {
    this.out.varint(bytes.length);
    this.out.copy(bytes);
  }

  /** Starts a list of `size` elements of `type` (the value of a field, or bare). */
  list(type: number, size: number): void {
    if (size < 15) this.byte((size << 4) | type);
    else {
      this.byte(0xf0 | type);
      this.varint(size);
    }
  }

  /** A bare i32 (a list element). */
  i32Value(x: number): void {
    this.zigzag(x);
  }

  /** Opens a struct (as a field's value or a list element). */
  begin(): this {
    this.last.push(0);
    return this;
  }

  /** Closes the innermost struct. */
  end(): this {
    this.byte(0);
    this.last.pop();
    return this;
  }

  /** Field `id` holding a struct: `body` writes its fields. */
  struct(id: number, body: (w: this) => void): this {
    this.field(id, T.STRUCT).begin();
    body(this);
    return this.end();
  }

  bytes(): Uint8Array {
    return this.out.bytes();
  }
}
