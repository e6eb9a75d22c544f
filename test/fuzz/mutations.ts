/**
 * The mutation fuzzer's damage, as data fast-check generates and shrinks: truncation (of the end or
 * the start), bit flips, byte insertions (format tokens or random bytes), deletions, huge fields (a
 * slice repeated up to HUGE_BYTES), and for binary input little-endian overwrites with edge values.
 * Positions are taken modulo the input length, so they shrink towards the start.
 */
import fc from "fast-check";

/** Largest input a huge field may grow a case to. */
export const HUGE_BYTES = 256 * 1024;

/** One damage. */
export type Mutation =
  | { op: "truncate"; at: number }
  | { op: "chop"; at: number }
  | { op: "flip"; at: number; bit: number }
  | { op: "insert"; at: number; bytes: number[] }
  | { op: "delete"; at: number; len: number }
  | { op: "repeat"; at: number; len: number; times: number }
  | { op: "set"; at: number; width: 1 | 2 | 4; value: number };

/** Edge values for binary overwrites (lengths, counts, types). */
const EDGE_VALUES = [0, 1, 2, 3, 4, 11, 12, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

const at = fc.nat({ max: 0x7fffffff });

/**
 * Mutations of text or bytes. `tokens`: byte strings of the format's syntax to insert; `binary`:
 * also overwrite integers with edge values.
 */
export function mutationArb(tokens: readonly string[], binary = false): fc.Arbitrary<Mutation> {
  const tokenBytes = tokens.map((t) => [...Buffer.from(t, "latin1")]);
  const insertBytes = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...tokenBytes) },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) },
  );
  // huge fields cost milliseconds each: about 1 mutation in 1,500 makes one
  const times = fc.oneof(
    { weight: 100, arbitrary: fc.integer({ min: 2, max: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 64, max: 20_000 }) },
  );
  const arbs: fc.WeightedArbitrary<Mutation>[] = [
    { weight: 2, arbitrary: fc.record({ op: fc.constant("truncate" as const), at }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("chop" as const), at }) },
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant("flip" as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("insert" as const), at, bytes: insertBytes }) },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant("delete" as const), at, len: fc.integer({ min: 1, max: 16 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("repeat" as const),
        at,
        len: fc.integer({ min: 1, max: 64 }),
        times,
      }),
    },
  ];
  if (binary) {
    arbs.push({
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("set" as const),
        at,
        width: fc.constantFrom(1 as const, 2 as const, 4 as const),
        value: fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.nat({ max: 0xffffffff })),
      }),
    });
  }
  return fc.oneof(...arbs);
}

/** Up to `max` mutations (none: the real input itself). */
export function mutationsArb(tokens: readonly string[], binary = false, max = 3): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArb(tokens, binary), { maxLength: max });
}

/** Applies `muts` in order to `input` (never modified). */
export function mutate(input: Uint8Array, muts: readonly Mutation[]): Buffer {
  let b: Buffer = Buffer.from(input);
  for (const m of muts) b = apply(b, m);
  return b;
}

function apply(b: Buffer, m: Mutation): Buffer {
  const n = b.length;
  const p = m.at % (n + 1);
  switch (m.op) {
    case "truncate":
      return b.subarray(0, p);
    case "chop":
      return b.subarray(p);
    case "flip": {
      if (n === 0) return b;
      const c = Buffer.from(b);
      c[p % n]! ^= 1 << m.bit;
      return c;
    }
    case "insert":
      return Buffer.concat([b.subarray(0, p), Buffer.from(m.bytes), b.subarray(p)]);
    case "delete":
      return Buffer.concat([b.subarray(0, p), b.subarray(Math.min(n, p + m.len))]);
    case "repeat": {
      const slice = b.subarray(p, Math.min(n, p + m.len));
      if (slice.length === 0) return b;
      const times = Math.min(m.times, Math.floor(HUGE_BYTES / slice.length));
      const parts: Buffer[] = [b.subarray(0, p)];
      for (let i = 0; i < times; i++) parts.push(slice);
      parts.push(b.subarray(p + slice.length));
      return Buffer.concat(parts);
    }
    case "set": {
      if (n < m.width) return b;
      const c = Buffer.from(b);
      const q = p % (n - m.width + 1);
      if (m.width === 1) c.writeUInt8(m.value & 0xff, q);
      else if (m.width === 2) c.writeUInt16LE(m.value & 0xffff, q);
      else c.writeUInt32LE(m.value >>> 0, q);
      return c;
    }
  }
}

/** A case's bytes as a TypeScript literal (latin1 text with escapes), for regression tests. */
export function bytesLiteral(b: Uint8Array): string {
  if (b.length > 4096)
    return `/* ${b.length} bytes */ Buffer.from("${Buffer.from(b).toString("base64")}", "base64")`;
  return `Buffer.from(${JSON.stringify(Buffer.from(b).toString("latin1"))}, "latin1")`;
}
