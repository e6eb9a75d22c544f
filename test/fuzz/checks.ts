/**
 * Properties every parser's output must have, whatever the input: which syscall names an event
 * may carry, and byte-for-byte equal record batches for equal input (determinism).
 */
import type { Data, RecordBatch } from "apache-arrow";
import { syscallNumber } from "../../schemas/consts.ts";
import { UNNAMED_SYSCALL } from "../../schemas/events.ts";

/** `syscall_0x…` with a number that fits 64 bits (strace's name for a number it cannot name). */
const HEX_NAME = /^syscall_0x([0-9a-f]{1,16})$/;

/**
 * Whether an event may be named `name` on `arch`: a name of the arch's syscall table, a
 * `syscall_0x…` with a valid number, or UNNAMED_SYSCALL. Anything else must be a reject.
 */
export function isEventName(name: string, arch: string): boolean {
  return name === UNNAMED_SYSCALL || syscallNumber(arch, name) !== undefined || HEX_NAME.test(name);
}

/** The number an event named `name` must carry on `arch` (null: none), or undefined when any. */
export function numberOfName(name: string, arch: string): number | null | undefined {
  if (name === UNNAMED_SYSCALL) return null;
  const nr = syscallNumber(arch, name);
  if (nr !== undefined) return nr;
  const m = HEX_NAME.exec(name);
  if (m === null) return undefined;
  const v = parseInt(m[1]!, 16);
  return v <= 0x7fffffff ? v : null;
}

/** Rows (index, syscall, nr, arch) whose name no event may carry. */
export function badNames(rb: RecordBatch, from = 0, to = rb.numRows): string[] {
  const sys = rb.getChild("syscall")!;
  const arch = rb.getChild("arch")!;
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const name = sys.get(i) as string;
    if (!isEventName(name, arch.get(i) as string)) out.push(`row ${i}: ${JSON.stringify(name)}`);
  }
  return out;
}

/** Rows whose `nr` is not the number of their name (names without one: nr null). */
export function badNumbers(rb: RecordBatch, from = 0, to = rb.numRows): string[] {
  const sys = rb.getChild("syscall")!;
  const nr = rb.getChild("nr")!;
  const arch = rb.getChild("arch")!;
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const want = numberOfName(sys.get(i) as string, arch.get(i) as string);
    const got = nr.get(i) as number | null;
    if (want !== undefined && got !== want) out.push(`row ${i}: ${sys.get(i)} nr ${got}, want ${want}`);
  }
  return out;
}

function bytesOf(a: ArrayBufferView | undefined): Buffer {
  return a === undefined ? Buffer.alloc(0) : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function sameData(a: Data, b: Data): boolean {
  if (a.length !== b.length || a.nullCount !== b.nullCount) return false;
  return (
    bytesOf(a.values as ArrayBufferView | undefined).equals(
      bytesOf(b.values as ArrayBufferView | undefined),
    ) &&
    bytesOf(a.valueOffsets).equals(bytesOf(b.valueOffsets)) &&
    (a.nullCount === 0 || bytesOf(a.nullBitmap).equals(bytesOf(b.nullBitmap)))
  );
}

/** The first column in which two batches differ, or null when they are equal byte for byte. */
export function firstDifference(a: RecordBatch, b: RecordBatch): string | null {
  if (a.numRows !== b.numRows) return `rows ${a.numRows} vs ${b.numRows}`;
  for (let k = 0; k < a.schema.fields.length; k++) {
    const x = a.data.children[k]!;
    const y = b.data.children[k]!;
    if (!sameData(x, y)) {
      const name = a.schema.fields[k]!.name;
      for (let i = 0; i < a.numRows; i++) {
        const u = a.getChildAt(k)!.get(i) as unknown;
        const v = b.getChildAt(k)!.get(i) as unknown;
        if (String(u) !== String(v)) return `column ${name} row ${i}: ${String(u)} vs ${String(v)}`;
      }
      return `column ${name}: buffers differ`;
    }
  }
  return null;
}

/** Throws `what` with the listed problems when there are any. */
export function expectNone(what: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`${what}:\n  ${problems.slice(0, 10).join("\n  ")}`);
}
