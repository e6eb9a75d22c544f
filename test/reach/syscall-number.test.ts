/**
 * The syscall-number walk over objdump text: the sequences below are objdump's output for
 * Debian bookworm's libc 2.36 (`__read`, `_exit`, `syscall`), where the number is set in the
 * same block, in an earlier block before a jump, through a register copy, or is an argument.
 */
import { describe, expect, it } from "vitest";
import { scanObjdump } from "../../stages/reach/objdump.ts";
import { flowOf, siteNumbers } from "../../stages/reach/syscall-number.ts";
import { effectOf, fam, K, S } from "../../stages/reach/effects.ts";

const READ = `
00000000000f82a0 <__read@@GLIBC_2.2.5>:
   f82a0:	cmpb   $0x0,0xe3331(%rip)        # 1db5d8 <__libc_single_threaded@@GLIBC_2.32>
   f82a7:	je     f82c0 <__read@@GLIBC_2.2.5+0x20>
   f82a9:	xor    %eax,%eax
   f82ab:	syscall
   f82ad:	cmp    $0xfffffffffffff000,%rax
   f82b3:	ja     f8310 <__read@@GLIBC_2.2.5+0x70>
   f82b5:	ret
   f82b6:	cs nopw 0x0(%rax,%rax,1)
   f82c0:	sub    $0x28,%rsp
   f82c4:	mov    %rdx,0x18(%rsp)
   f82d2:	call   85820 <__libc_alloca_cutoff@@GLIBC_PRIVATE+0x50>
   f82e1:	mov    %eax,%r8d
   f82e4:	mov    0x8(%rsp),%edi
   f82e8:	xor    %eax,%eax
   f82ea:	syscall
   f82ec:	cmp    $0xfffffffffffff000,%rax
   f830a:	ret
   f8310:	neg    %eax
   f8323:	ret
`;

const EXIT = `
00000000000d43e0 <_exit@@GLIBC_2.2.5>:
   d43e0:	mov    0xfe9f9(%rip),%r8        # 1d2de0 <h_errlist@@GLIBC_2.2.5+0xb80>
   d43e7:	mov    $0xe7,%esi
   d43ec:	mov    $0x3c,%edx
   d43f1:	jmp    d4405 <_exit@@GLIBC_2.2.5+0x25>
   d43f3:	nopl   0x0(%rax,%rax,1)
   d43f8:	mov    %edx,%eax
   d43fa:	syscall
   d43fc:	cmp    $0xfffffffffffff000,%rax
   d4402:	ja     d4420 <_exit@@GLIBC_2.2.5+0x40>
   d4404:	hlt
   d4405:	mov    %esi,%eax
   d4407:	syscall
   d4409:	cmp    $0xfffffffffffff000,%rax
   d440f:	jbe    d43f8 <_exit@@GLIBC_2.2.5+0x18>
   d4411:	neg    %eax
   d4413:	mov    %eax,%fs:(%r8)
   d4417:	jmp    d43f8 <_exit@@GLIBC_2.2.5+0x18>
   d4419:	nopl   0x0(%rax)
   d4420:	neg    %eax
   d4422:	mov    %eax,%fs:(%r8)
   d4426:	jmp    d4404 <_exit@@GLIBC_2.2.5+0x24>
`;

const SYSCALL_FN = `
0000000000101c40 <syscall@@GLIBC_2.2.5>:
  101c40:	endbr64
  101c44:	mov    %rdi,%rax
  101c47:	mov    %rsi,%rdi
  101c4a:	mov    %rdx,%rsi
  101c4d:	mov    %rcx,%rdx
  101c50:	mov    %r8,%r10
  101c53:	mov    %r9,%r8
  101c56:	mov    0x8(%rsp),%r9
  101c5b:	syscall
  101c5d:	cmp    $0xfffffffffffff001,%rax
  101c63:	jae    101c66 <syscall@@GLIBC_2.2.5+0x26>
  101c65:	ret
`;

const CALLER = `
0000000000001000 <main>:
    1000:	mov    $0x13e,%edi
    1005:	xor    %eax,%eax
    1007:	call   1100 <syscall@plt>
    100c:	mov    (%rbx),%eax
    100e:	syscall
    1010:	ret
`;

function numbers(text: string): { nrs: number[]; unknown?: string }[] {
  const scan = scanObjdump(text);
  const flow = flowOf(scan.insns, scan.edges, scan.edgeKinds, new Set(scan.labels.keys()));
  return scan.sites.map((s) => siteNumbers(s, flow));
}

describe("syscall numbers from objdump text", () => {
  it("__read: xor %eax,%eax in the same block is read (0) at both sites", () => {
    expect(numbers(READ)).toEqual([{ nrs: [0] }, { nrs: [0] }]);
  });
  it("_exit: the numbers are set before a jump and reach the syscall through a register copy", () => {
    const [first, second] = numbers(EXIT);
    // d43fa: %edx, set to 60 (exit) before the jump to d4405; d4407: %esi = 231 (exit_group)
    expect(first).toEqual({ nrs: [60] });
    expect(second).toEqual({ nrs: [231] });
  });
  it("syscall(): the number is the function's argument, unknown and said so", () => {
    expect(numbers(SYSCALL_FN)).toEqual([{ nrs: [], unknown: "an argument of its function" }]);
  });
  it("a call of syscall() takes its number from %edi; a load from memory is unknown", () => {
    const scan = scanObjdump(CALLER);
    expect(scan.sites.map((s) => s.kind)).toEqual(["wrapper", "insn"]);
    expect(scan.pltCalls).toEqual([{ from: 0x1007, name: "syscall" }]);
    expect(numbers(CALLER)).toEqual([{ nrs: [318] }, { nrs: [], unknown: "computed or loaded from memory" }]);
  });
});

describe("instruction effects", () => {
  it("registers written, from what", () => {
    expect(effectOf("mov", "$0xe7,%esi")).toEqual({ kind: K.plain, dst: fam("si"), src: S.imm, val: 231 });
    expect(effectOf("mov", "%r9d,%eax")).toEqual({
      kind: K.plain,
      dst: fam("a"),
      src: S.reg,
      val: fam("r9"),
    });
    expect(effectOf("xor", "%eax,%eax")).toEqual({ kind: K.plain, dst: fam("a"), src: S.zero, val: 0 });
    expect(effectOf("cmp", "$0x0,%eax").dst).toBe(-1);
    expect(effectOf("mov", "%eax,%fs:(%r8)").dst).toBe(-1);
    expect(effectOf("lea", "0x8(%rsp),%rdx")).toEqual({ kind: K.plain, dst: fam("d"), src: S.other, val: 0 });
    expect(effectOf("cltq", "").dst).toBe(fam("a"));
    expect(effectOf("jmp", "*%rax").kind).toBe(K.ijmp);
  });
});
