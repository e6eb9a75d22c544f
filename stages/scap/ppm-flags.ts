/**
 * Translates sysdig's PPM flag encodings (PPM_O_*, PPM_CL_*, PPM_MAP_*, PPM_AF_*, …) into the
 * kernel's values through the generated PPM tables and the kernel constant tables, and names the
 * PPM bits for the raw text. Bits with no kernel counterpart are reported, never guessed.
 */
import { lookupSymbol, type ConstTableName } from "../../schemas/consts.ts";
import { PPM_FLAG_TABLES } from "../../schemas/generated/scap-events.ts";

/** A PPM value in kernel terms. */
export interface KernelValue {
  /** kernel value, or null when some part has no kernel equivalent. */
  value: number | null;
  /** PPM names as sysdig prints them (`O_RDONLY|O_CLOEXEC`), "" when none. */
  names: string;
  /** symbols or bits without a kernel value. */
  unknown: string[];
}

const cache = new Map<string, Map<number, KernelValue>>();

function kernelOf(sym: string, table: string | null): number | undefined {
  return lookupSymbol(sym, (table ?? undefined) as ConstTableName | undefined);
}

function translate(tableName: string, v: number): KernelValue {
  const t = PPM_FLAG_TABLES[tableName];
  if (t === undefined) return { value: null, names: "", unknown: [`${tableName}:${v}`] };
  const names: string[] = [];
  const unknown: string[] = [];
  let value = 0;
  const add = (sym: string | null): void => {
    if (sym === null) return; // libsinsp-internal bit: not a kernel flag
    names.push(sym);
    const k = kernelOf(sym, t.kernel);
    if (k === undefined) unknown.push(sym);
    else value |= k;
  };
  if (t.enumMask === -1) {
    const e = t.entries.find((x) => x[1] === v);
    if (e) add(e[0]);
    else unknown.push(`${tableName}:${v}`);
    return { value: unknown.length > 0 ? null : value, names: names.join("|"), unknown };
  }
  const mask = t.enumMask;
  const enumPart = v & mask;
  let rest = (v & ~mask) >>> 0;
  if (mask !== 0) {
    const e = t.entries.find((x) => (x[1] & ~mask) === 0 && x[1] === enumPart);
    if (e) add(e[0]);
    else if (enumPart !== 0) unknown.push(`${tableName}:${enumPart}`);
  }
  for (const [sym, bit] of t.entries) {
    if ((bit & ~mask) === 0 || (rest & bit) !== bit) continue;
    add(sym);
    rest = (rest & ~bit) >>> 0;
  }
  if (rest !== 0) unknown.push(`0x${rest.toString(16)}`);
  return { value: unknown.length > 0 ? null : value >>> 0, names: names.join("|"), unknown };
}

/** Kernel value and PPM names of `v` in PPM table `table` (memoised). */
export function ppmToKernel(table: string, v: number): KernelValue {
  let t = cache.get(table);
  if (t === undefined) cache.set(table, (t = new Map()));
  let r = t.get(v);
  if (r === undefined) {
    r = translate(table, v);
    t.set(v, r);
  }
  return r;
}
