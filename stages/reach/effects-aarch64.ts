/**
 * What one aarch64 instruction (GNU objdump's A64 text) does that the syscall-number walk
 * follows, in the same shape as the x86_64 effects: its control-flow kind, the general-purpose
 * register it writes from an immediate, another register or zero, and a mask of the registers
 * it writes with a value the walk does not know (loads of pairs, writeback of a base register).
 * Only objdump's decoded mnemonics and operands are read.
 */
import { K, S, type Effect } from "./effects.ts";
import { splitTopLevel } from "./objdump-text.ts";

/** x0 … x30 are families 0 … 30 (w0 … w30 their low halves); sp is 31. */
export const A64_SP = 31;

/** Caller-saved registers (AAPCS64: x0–x18 and the link register x30): a call may change them. */
export const A64_CALL_CLOBBERED: ReadonlySet<number> = new Set([
  ...Array.from({ length: 19 }, (_, i) => i),
  30,
]);
/** `svc #0` returns in x0; every other register is kept (the kernel's arm64 entry). */
export const A64_SYSCALL_CLOBBERED: ReadonlySet<number> = new Set([0]);

/** The register family of an A64 operand (`x8`, `w8` → 8, `sp`/`wsp` → 31); -1 otherwise, zr → -2. */
export function a64Reg(operand: string): number {
  const o = operand.trim();
  if (o === "xzr" || o === "wzr") return -2;
  if (o === "sp" || o === "wsp") return A64_SP;
  if (o === "lr") return 30;
  const m = /^[xw](\d{1,2})$/.exec(o);
  if (!m) return -1;
  const n = Number(m[1]);
  return n <= 30 ? n : -1;
}

/** Splits operands at top-level commas (not inside `[…]` or `{…}`), objdump's `//` comment dropped. */
export function a64Operands(args: string): string[] {
  const c = args.indexOf("//");
  const code = (c >= 0 ? args.slice(0, c) : args).trim();
  if (code === "") return [];
  // the common case (no memory operand or register list): a plain split
  if (!code.includes("[") && !code.includes("{")) return code.split(",").map((o) => o.trim());
  return splitTopLevel(code, "[{", "]}");
}

/** Branches: direct (with a target address), conditional, indirect, returns. */
const COND_BRANCH = /^(b\.\w+|cbn?z|tbn?z)$/;
const STOPS = new Set(["ret", "retaa", "retab", "eret", "brk", "udf", "hlt"]);
/** No general-purpose register written: compares, stores, barriers, hints, prefetches, system ops. */
const NO_WRITE =
  /^(cmp|cmn|tst|ccmp|ccmn|fcmp|fcmpe|fccmp|fccmpe|str|stur|stp|stnp|stlr|stllr|st[1-4]|stg|st2g|stz|stzg|stz2g|stgp|dmb|dsb|isb|sb|prfm|prfum|prfb|prfh|prfw|prfd|hint|yield|wfe|wfi|sev|sevl|bti|dc|ic|tlbi|at|msr|clrex|csdb|esb|psb|tsb|sys|cpy|set)/;
/** Stores whose first operand is a status register written by the store (exclusives). */
const STORE_STATUS = /^st(l?x[rp]|l?xr[bh]|lxp)$/;

const plain = (kind: number, clob = 0): Effect & { clob: number } => ({
  kind,
  dst: -1,
  src: S.other,
  val: 0,
  clob,
});

const bit = (r: number): number => (r >= 0 && r <= 31 ? 1 << r : 0);

/** A base register written back (`[x1, #16]!`, `[x1], #16`): its bit, else 0. */
function writeback(ops: readonly string[]): number {
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    const m = /^\[(\w+)/.exec(o);
    if (!m) continue;
    if (o.endsWith("]!") || (o.endsWith("]") && i + 1 < ops.length)) return bit(a64Reg(m[1]!));
  }
  return 0;
}

const IMM = /^#(-?)(0x[0-9a-f]+|\d+)$/;

/** The effect of one A64 instruction, plus `clob`: registers written with an unknown value. */
export function effectOfA64(op: string, args: string): Effect & { clob: number } {
  if (op === "svc") return plain(K.syscall);
  if (op === "bl" || op === "blr" || op.startsWith("blra")) return plain(K.call, bit(30));
  if (op === "b") return plain(K.jmp);
  if (op === "br" || op.startsWith("bra")) return plain(K.ijmp);
  if (COND_BRANCH.test(op)) return plain(K.jcc);
  if (STOPS.has(op)) return plain(K.stop);
  if (op === "nop") return plain(K.nop);
  const ops = a64Operands(args);
  if (STORE_STATUS.test(op)) return plain(K.plain, bit(a64Reg(ops[0] ?? "")) | writeback(ops));
  if (NO_WRITE.test(op)) return plain(K.plain, writeback(ops));
  const dst = a64Reg(ops[0] ?? "");
  if (dst < 0) return plain(K.plain, writeback(ops)); // SIMD/FP destination, or xzr
  // Pair loads write the first two operands; casp and friends write a pair too.
  if (/^ld[a-z]*p/.test(op) || /^casp/.test(op)) {
    return plain(K.plain, bit(dst) | bit(a64Reg(ops[1] ?? "")) | writeback(ops));
  }
  if ((op === "mov" || op === "movz") && ops.length >= 2) {
    const imm = IMM.exec(ops[1]!);
    if (imm && imm[1] === "") {
      const t = imm[2]!;
      let v = t.startsWith("0x") ? Number.parseInt(t.slice(2), 16) : Number.parseInt(t, 10);
      const shift = ops[2] !== undefined ? /^lsl #(\d+)$/.exec(ops[2]) : null;
      if (ops[2] !== undefined && !shift) return { kind: K.plain, dst, src: S.other, val: 0, clob: 0 };
      if (shift) v *= 2 ** Number(shift[1]);
      return { kind: K.plain, dst, src: S.imm, val: v, clob: 0 };
    }
    const r = a64Reg(ops[1]!);
    if (r === -2) return { kind: K.plain, dst, src: S.zero, val: 0, clob: 0 };
    if (r >= 0 && ops.length === 2) return { kind: K.plain, dst, src: S.reg, val: r, clob: 0 };
  }
  if (
    (op === "eor" || op === "sub") &&
    ops.length === 3 &&
    a64Reg(ops[1]!) === dst &&
    a64Reg(ops[2]!) === dst
  )
    return { kind: K.plain, dst, src: S.zero, val: 0, clob: 0 };
  // Loads, arithmetic, csel, movk, mrs, adrp, …: a value the walk does not know.
  return { kind: K.plain, dst, src: S.other, val: 0, clob: writeback(ops) };
}
