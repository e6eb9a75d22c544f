/**
 * A classic-BPF interpreter for seccomp programs (the kernel's subset: loads from seccomp_data,
 * ALU, jumps, returns), used to run what libseccomp exported, plus runc 1.1.5's ENOSYS stub
 * (patchbpf/enosys_linux.go generateEnosysStub) built the same way, to prepend to it.
 * seccomp_data: nr u32 @0, arch u32 @4, instruction_pointer u64 @8, args u64[6] @16 (LE).
 */

export interface Insn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export function parseProgram(buf: Buffer): Insn[] {
  const out: Insn[] = [];
  for (let o = 0; o + 8 <= buf.length; o += 8)
    out.push({
      code: buf.readUInt16LE(o),
      jt: buf.readUInt8(o + 2),
      jf: buf.readUInt8(o + 3),
      k: buf.readUInt32LE(o + 4),
    });
  return out;
}

export interface SeccompData {
  nr: number;
  arch: number;
  ip?: bigint;
  args: readonly bigint[];
}

function word(d: SeccompData, off: number): number {
  if (off === 0) return d.nr >>> 0;
  if (off === 4) return d.arch >>> 0;
  const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
  const q = off < 16 ? u64(d.ip ?? 0n) : u64(d.args[(off - 16) >> 3] ?? 0n);
  return Number(off % 8 === 0 ? q & 0xffffffffn : q >> 32n) >>> 0;
}

/** Runs the program; returns the 32-bit return value. Throws on what seccomp would reject. */
export function run(prog: readonly Insn[], d: SeccompData): number {
  let a = 0;
  let x = 0;
  const mem = new Uint32Array(16);
  for (let pc = 0; pc < prog.length; pc++) {
    const i = prog[pc]!;
    const cls = i.code & 0x07;
    switch (cls) {
      case 0x00: // LD
        if (i.code === 0x20) a = word(d, i.k);
        else if (i.code === 0x00) a = i.k >>> 0;
        else if (i.code === 0x60) a = mem[i.k]!;
        else if (i.code === 0x80) a = 64;
        else throw new Error(`unsupported ld ${i.code.toString(16)}`);
        break;
      case 0x01: // LDX
        if (i.code === 0x01) x = i.k >>> 0;
        else if (i.code === 0x61) x = mem[i.k]!;
        else throw new Error(`unsupported ldx ${i.code.toString(16)}`);
        break;
      case 0x02:
        mem[i.k] = a;
        break;
      case 0x03:
        mem[i.k] = x;
        break;
      case 0x04: {
        // ALU
        const src = i.code & 0x08 ? x : i.k >>> 0;
        switch (i.code & 0xf0) {
          case 0x00:
            a = (a + src) >>> 0;
            break;
          case 0x10:
            a = (a - src) >>> 0;
            break;
          case 0x20:
            a = Math.imul(a, src) >>> 0;
            break;
          case 0x40:
            a = (a | src) >>> 0;
            break;
          case 0x50:
            a = (a & src) >>> 0;
            break;
          case 0x60:
            a = src >= 32 ? 0 : (a << src) >>> 0;
            break;
          case 0x70:
            a = src >= 32 ? 0 : a >>> src;
            break;
          case 0x80:
            a = -a >>> 0;
            break;
          case 0xa0:
            a = (a ^ src) >>> 0;
            break;
          default:
            throw new Error(`unsupported alu ${i.code.toString(16)}`);
        }
        break;
      }
      case 0x05: {
        // JMP
        const op = i.code & 0xf0;
        if (op === 0x00) {
          pc += i.k;
          break;
        }
        const src = i.code & 0x08 ? x : i.k >>> 0;
        const t =
          op === 0x10
            ? a === src
            : op === 0x20
              ? a > src
              : op === 0x30
                ? a >= src
                : op === 0x40
                  ? (a & src) !== 0
                  : null;
        if (t === null) throw new Error(`unsupported jmp ${i.code.toString(16)}`);
        pc += t ? i.jt : i.jf;
        break;
      }
      case 0x06:
        return i.code & 0x10 ? a : i.k >>> 0;
      case 0x07:
        if (i.code === 0x07) x = a;
        else if (i.code === 0x87) a = x;
        else throw new Error(`unsupported misc ${i.code.toString(16)}`);
        break;
    }
  }
  throw new Error("program fell off its end");
}

const AUDIT: Record<string, number> = {
  SCMP_ARCH_X86_64: 0xc000003e,
  SCMP_ARCH_X32: 0xc000003e,
  SCMP_ARCH_X86: 0x40000003,
  SCMP_ARCH_AARCH64: 0xc00000b7,
  SCMP_ARCH_ARM: 0x40000028,
};

const LD = (k: number): Insn => ({ code: 0x20, jt: 0, jf: 0, k });
const JA = (k: number): Insn => ({ code: 0x05, jt: 0, jf: 0, k });
const JEQ = (k: number, jt: number, jf = 0): Insn => ({ code: 0x15, jt, jf, k: k >>> 0 });
const JGT = (k: number, jt: number, jf = 0): Insn => ({ code: 0x25, jt, jf, k: k >>> 0 });
const JSET = (k: number, jt: number, jf = 0): Insn => ({ code: 0x45, jt, jf, k: k >>> 0 });
const RET = (k: number): Insn => ({ code: 0x06, jt: 0, jf: 0, k: k >>> 0 });
const ENOSYS_RET = 0x00050026;

/**
 * runc's stub for a config with these largest syscall numbers per listed arch (SCMP_ARCH_* →
 * number). Same instruction shapes as generateEnosysStub for jumps ≤ 255 (ours are short), with
 * the arches in a fixed order instead of Go's map order (the semantics do not depend on it).
 */
export function enosysStub(last: Record<string, number>): Insn[] {
  const byAudit = new Map<number, Record<string, number>>();
  for (const [tok, nr] of Object.entries(last)) {
    const audit = AUDIT[tok];
    if (audit === undefined) continue;
    byAudit.set(audit, { ...(byAudit.get(audit) ?? {}), [tok]: nr });
  }
  let tail: Insn[] = [JA(1), RET(ENOSYS_RET)];
  const jumpTable = new Map<number, number>();
  for (const [audit, maxes] of [...byAudit].sort((a, b) => a[0] - b[0])) {
    const baseEnosys = tail.length - 1;
    const baseFilter = baseEnosys + 1;
    let section: Insn[] = [LD(0)];
    const toks = Object.keys(maxes);
    if (toks.length === 1) {
      const tok = toks[0]!;
      let st: Insn[] = [JGT(maxes[tok]!, baseEnosys + 1), JA(baseFilter)];
      if (audit === AUDIT.SCMP_ARCH_X86_64) {
        st =
          tok === "SCMP_ARCH_X86_64"
            ? [JSET(1 << 30, st.length - 1), ...st]
            : [{ code: 0x45, jt: 0, jf: st.length - 1, k: 1 << 30 }, ...st]; // JumpBitsNotSet
      }
      section = [...section, ...st];
    } else {
      section = [
        ...section,
        JSET(1 << 30, 1),
        JGT(maxes.SCMP_ARCH_X86_64!, baseEnosys + 2, 1),
        JGT(maxes.SCMP_ARCH_X32!, baseEnosys + 1),
        JA(baseFilter),
      ];
    }
    tail = [...section, ...tail];
    jumpTable.set(audit, tail.length);
  }
  tail = [JA(tail.length), ...tail];
  for (const audit of [...jumpTable.keys()].sort((a, b) => a - b)) {
    const jump = tail.length - jumpTable.get(audit)!;
    tail = [JEQ(audit, jump), ...tail];
  }
  return [LD(4), ...tail];
}
