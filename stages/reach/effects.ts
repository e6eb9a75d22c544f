/**
 * What one x86_64 instruction (objdump's AT&T text) does that the syscall-number walk follows:
 * its control-flow kind, and the general-purpose register it writes, from an immediate, another
 * register, zero (`xor %r,%r`) or anything else. Only mnemonics and operands already decoded by
 * objdump are read; nothing is decoded from bytes.
 */

import { splitTopLevel } from "./objdump-text.ts";

/** Control-flow kinds. */
export const K = { plain: 0, jmp: 1, jcc: 2, call: 3, stop: 4, syscall: 5, ijmp: 6, nop: 7 } as const;
/** Source kinds of a register write. */
export const S = { other: 0, imm: 1, reg: 2, zero: 3 } as const;

export interface Effect {
  kind: number;
  /** register family written (index into FAMILIES), -1 none */
  dst: number;
  src: number;
  /** the immediate, or the source register's family */
  val: number;
}

export const FAMILIES = [
  "a",
  "b",
  "c",
  "d",
  "si",
  "di",
  "bp",
  "sp",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
] as const;
const FAMILY_INDEX = new Map<string, number>(FAMILIES.map((f, i) => [f, i]));
export const fam = (name: (typeof FAMILIES)[number]): number => FAMILY_INDEX.get(name)!;

/** Caller-saved registers (System V x86_64 ABI): a call may change them. */
export const CALL_CLOBBERED: ReadonlySet<number> = new Set(
  ["a", "c", "d", "si", "di", "r8", "r9", "r10", "r11"].map((f) => FAMILY_INDEX.get(f)!),
);
/** Registers the `syscall` instruction changes (result in rax; rcx and r11 hold rip and rflags). */
export const SYSCALL_CLOBBERED: ReadonlySet<number> = new Set(
  ["a", "c", "r11"].map((f) => FAMILY_INDEX.get(f)!),
);

/** Every general-purpose register name (all widths) → its family. */
const REGISTERS = new Map<string, number>();
for (const x of ["a", "b", "c", "d"]) {
  for (const n of [`%r${x}x`, `%e${x}x`, `%${x}x`, `%${x}l`, `%${x}h`])
    REGISTERS.set(n, FAMILY_INDEX.get(x)!);
}
for (const x of ["si", "di", "bp", "sp"]) {
  for (const n of [`%r${x}`, `%e${x}`, `%${x}`, `%${x}l`]) REGISTERS.set(n, FAMILY_INDEX.get(x)!);
}
for (let i = 8; i <= 15; i++)
  for (const w of ["", "d", "w", "b"]) REGISTERS.set(`%r${i}${w}`, FAMILY_INDEX.get(`r${i}`)!);

/** The register family of an AT&T register operand (`%eax`, `%rax`, `%ax`, `%al` → a), or -1. */
export function regFamily(operand: string): number {
  return REGISTERS.get(operand.trim()) ?? -1;
}

/** Mnemonics that write no register operand (compares, tests, stores, pushes, hints). */
const NO_WRITE =
  /^(cmp|test|bt[lqw]?$|ucomis|comis|push|nop|prefetch|endbr|lfence|mfence|sfence|pause|vzeroupper|clflush|ptest|vptest)/;

/** Splits AT&T operands at top-level commas (not those inside parentheses), comment dropped. */
export function operands(args: string): string[] {
  return splitTopLevel(args.split("#")[0]!.trim(), "(", ")");
}

/** Instructions that write %eax/%rax (or %edx beside it) without naming it as the destination. */
const IMPLICIT_A = new Set([
  "cpuid",
  "rdtsc",
  "rdtscp",
  "cltq",
  "cwtl",
  "cbtw",
  "cqto",
  "cltd",
  "xgetbv",
  "rdpid",
  "lods",
  "lodsb",
  "lodsl",
  "lodsq",
  "in",
  "mul",
  "div",
  "idiv",
  "cmpxchg",
  "rdrand",
  "rdseed",
]);
const MOVES = new Set([
  "mov",
  "movl",
  "movq",
  "movabs",
  "movzbl",
  "movzwl",
  "movslq",
  "movsbl",
  "movsbq",
  "movzbq",
  "movzwq",
  "movswl",
  "movswq",
]);
const STOPS = new Set(["ret", "retq", "hlt", "ud2", "iret", "iretq", "sysret"]);

const IMM = /^\$(0x[0-9a-f]+|\d+)$/;

const plain = (kind: number): Effect => ({ kind, dst: -1, src: S.other, val: 0 });

/** The effect of one instruction. */
export function effectOf(op: string, args: string): Effect {
  if (op === "syscall") return plain(K.syscall);
  if (op === "call" || op === "callq") return plain(K.call);
  if (op === "jmp" || op === "jmpq") return plain(args.startsWith("*") ? K.ijmp : K.jmp);
  if (op.startsWith("j")) return plain(K.jcc);
  if (STOPS.has(op)) return plain(K.stop);
  if (op.startsWith("nop") || op === "int3") return plain(K.nop);
  if (NO_WRITE.test(op)) return plain(K.plain);
  const hash = args.indexOf("#");
  const code = (hash >= 0 ? args.slice(0, hash) : args).trimEnd();
  // A destination in memory ends with ')': no register written (the common case, decided cheaply).
  if (!IMPLICIT_A.has(op) && !op.startsWith("xchg") && (code.endsWith(")") || !code.includes("%")))
    return plain(K.plain);
  const ops = operands(code);
  if (IMPLICIT_A.has(op)) return { kind: K.plain, dst: fam("a"), src: S.other, val: 0 };
  if (op.startsWith("xchg")) {
    // both operands change: report the first register (rare next to a syscall number)
    const r = ops.map(regFamily).find((x) => x >= 0);
    return { kind: K.plain, dst: r ?? -1, src: S.other, val: 0 };
  }
  const dst = ops.length > 0 ? regFamily(ops[ops.length - 1]!) : -1;
  if (dst < 0) return plain(K.plain);
  const src = ops.length === 2 ? ops[0]! : "";
  if (
    (op === "xor" || op === "sub" || op === "xorl" || op === "subl" || op === "xorq") &&
    regFamily(src) === dst
  ) {
    return { kind: K.plain, dst, src: S.zero, val: 0 };
  }
  if (MOVES.has(op)) {
    const imm = IMM.exec(src);
    if (imm) {
      const t = imm[1]!;
      const v = t.startsWith("0x") ? Number.parseInt(t.slice(2), 16) : Number.parseInt(t, 10);
      return { kind: K.plain, dst, src: S.imm, val: v };
    }
    const r = regFamily(src);
    if (r >= 0) return { kind: K.plain, dst, src: S.reg, val: r };
  }
  // lea, arithmetic, loads, cmov (may or may not write), pop, … : a value the walk does not know.
  return { kind: K.plain, dst, src: S.other, val: 0 };
}
