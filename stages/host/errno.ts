/** errno number → name, from the generated uapi errno table (schemas/generated/consts.ts). */
import { CONST_TABLES } from "../../schemas/generated/consts.ts";

const BY_NUMBER = new Map<number, string>();
for (const [name, v] of Object.entries(
  (CONST_TABLES as unknown as Record<string, { values: Record<string, number> }>).errno?.values ?? {},
))
  if (!BY_NUMBER.has(v)) BY_NUMBER.set(v, name);

export const errnoName = (n: number | null | undefined): string | null =>
  n === null || n === undefined ? null : n === 0 ? "OK" : (BY_NUMBER.get(n) ?? `errno ${n}`);
