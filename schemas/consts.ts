/**
 * Typed lookups over the generated syscall and constant tables (schemas/generated/, produced by
 * schemas/gen/generate.ts from the kernel uapi and glibc headers).
 */
import { CONST_TABLES, SYMBOLS, type ConstTableName } from "./generated/consts.ts";
import { I386_SYSCALL_ARGS, SYSCALL_ARGS, type ArgSpec } from "./generated/syscall-args.ts";
import { SYSCALL_NAMES_BY_NUMBER, SYSCALL_NUMBERS, type Arch } from "./generated/syscalls.ts";

export type { Arch } from "./generated/syscalls.ts";
export type { ArgKind, ArgSpec } from "./generated/syscall-args.ts";
export type { ConstTableName } from "./generated/consts.ts";

const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k);

export function isArch(arch: string): arch is Arch {
  return hasOwn(SYSCALL_NUMBERS, arch);
}

/** Value of a symbol: from `table` when given and it has the name, else from SYMBOLS (unambiguous names only). */
export function lookupSymbol(name: string, table?: ConstTableName): number | undefined {
  if (table !== undefined) {
    const values: Readonly<Record<string, number>> = CONST_TABLES[table].values;
    if (hasOwn(values, name)) return values[name];
  }
  return hasOwn(SYMBOLS, name) ? SYMBOLS[name]!.value : undefined;
}

/** Argument specs of a syscall by its strace/table name; `arch` selects i386's differing variants. */
export function argSpecs(syscall: string, arch?: string): readonly ArgSpec[] | undefined {
  if (arch === "i386" && hasOwn(I386_SYSCALL_ARGS, syscall)) return I386_SYSCALL_ARGS[syscall];
  return hasOwn(SYSCALL_ARGS, syscall) ? SYSCALL_ARGS[syscall] : undefined;
}

export function syscallNumber(arch: string, name: string): number | undefined {
  if (!isArch(arch)) return undefined;
  const table: Readonly<Record<string, number>> = SYSCALL_NUMBERS[arch];
  return hasOwn(table, name) ? table[name] : undefined;
}

export function syscallName(arch: string, nr: number): string | undefined {
  if (!isArch(arch)) return undefined;
  const table: Readonly<Record<number, string>> = SYSCALL_NAMES_BY_NUMBER[arch];
  return hasOwn(table, nr) ? table[nr] : undefined;
}
