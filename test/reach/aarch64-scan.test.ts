/**
 * The aarch64 reader of objdump text and the syscall-number walk on it: the sequences below are
 * `aarch64-linux-gnu-objdump -d --no-show-raw-insn -w` output for Debian bookworm's arm64 libc 2.36
 * (`__read`, `syscall`, `__socket` and its branch to __syscall_error) and libsystemd 252
 * (`syscall(SYS_gettid)` through the PLT), trimmed to the lines that matter.
 */
import { describe, expect, it } from "vitest";
import { analyzeBinary } from "../../stages/reach/binary.ts";
import { K, S } from "../../stages/reach/effects.ts";
import { a64Reg, effectOfA64 } from "../../stages/reach/effects-aarch64.ts";
import { EM_AARCH64, type ElfFile } from "../../stages/reach/elf.ts";
import { scanObjdumpA64 } from "../../stages/reach/objdump-aarch64.ts";
import { AARCH64_ABI, flowOf, siteNumbers } from "../../stages/reach/syscall-number.ts";

const READ = `
00000000000ddb60 <__read@@GLIBC_2.17>:
   ddb60:	stp	x29, x30, [sp, #-48]!
   ddb64:	adrp	x3, 1a7000 <getdate_err@@GLIBC_2.17+0x378>
   ddb68:	mov	x29, sp
   ddb6c:	ldrb	w3, [x3, #2472]
   ddb78:	cbz	w3, ddba4 <__read@@GLIBC_2.17+0x44>
   ddb7c:	mov	x0, x19
   ddb80:	mov	x8, #0x3f                  	// #63
   ddb84:	svc	#0x0
   ddb88:	mov	x19, x0
   ddb90:	b.hi	ddbf4 <__read@@GLIBC_2.17+0x94>  // b.pmore
   ddb94:	mov	x0, x19
   ddb98:	ldp	x19, x20, [sp, #16]
   ddb9c:	ldp	x29, x30, [sp], #48
   ddba0:	ret
   ddba4:	mov	x20, x2
   ddbb0:	bl	7e380 <__libc_alloca_cutoff@@GLIBC_PRIVATE+0x30>
   ddbb4:	mov	x1, x21
   ddbc4:	mov	x8, #0x3f                  	// #63
   ddbc8:	svc	#0x0
   ddbcc:	mov	x19, x0
   ddbf0:	ret
   ddbf4:	adrp	x0, 19f000 <sys_sigabbrev@GLIBC_2.17+0x1c0>
   ddbf8:	ldr	x0, [x0, #3520]
   ddc0c:	b	ddb94 <__read@@GLIBC_2.17+0x34>
`;

const SYSCALL = `
00000000000e7c00 <syscall@@GLIBC_2.17>:
   e7c00:	nop
   e7c04:	mov	w8, w0
   e7c08:	mov	x0, x1
   e7c24:	svc	#0x0
   e7c28:	cmn	x0, #0xfff
   e7c2c:	b.cs	e7c34 <syscall@@GLIBC_2.17+0x34>  // b.hs, b.nlast
   e7c30:	ret
`;

const SYSTEMD = `
0000000000017d80 <syscall@plt>:
   17d80:	adrp	x16, 14f000 <sd_bus_track_new@@LIBSYSTEMD_221+0x48>
   17d84:	ldr	x17, [x16, #3944]
   17d88:	add	x16, x16, #0xf68
   17d8c:	br	x17

0000000000040200 <gettid_wrapper>:
   40248:	mov	x0, #0xac                  	// #172
   4024c:	str	x23, [sp, #48]
   40250:	bl	17d80 <syscall@plt>
   40254:	mov	x8, x19
   40258:	svc	#0x0
   4025c:	ldp	x8, x9, [sp, #16]
   40260:	svc	#0x0
   40264:	ret
`;

describe("aarch64 instructions as the number walk sees them", () => {
  it("registers, immediates, register moves, zero and pair loads", () => {
    expect(a64Reg("x8")).toBe(8);
    expect(a64Reg("w8")).toBe(8);
    expect(a64Reg("sp")).toBe(31);
    expect(a64Reg("xzr")).toBe(-2);
    expect(effectOfA64("mov", "x8, #0x3f                  \t// #63")).toMatchObject({
      dst: 8,
      src: S.imm,
      val: 63,
    });
    expect(effectOfA64("mov", "w8, #221")).toMatchObject({ dst: 8, src: S.imm, val: 221 });
    expect(effectOfA64("movz", "x8, #0x1, lsl #16")).toMatchObject({ dst: 8, src: S.imm, val: 65536 });
    expect(effectOfA64("mov", "w8, w0")).toMatchObject({ dst: 8, src: S.reg, val: 0 });
    expect(effectOfA64("mov", "x8, xzr")).toMatchObject({ dst: 8, src: S.zero });
    expect(effectOfA64("ldr", "x8, [sp, #8]")).toMatchObject({ dst: 8, src: S.other });
    expect(effectOfA64("ldp", "x8, x9, [sp, #16]").clob).toBe((1 << 8) | (1 << 9));
    expect(effectOfA64("ldp", "x29, x30, [sp], #48").clob).toBe((1 << 29) | (1 << 30) | (1 << 31));
    expect(effectOfA64("str", "x8, [sp, #8]")).toMatchObject({ dst: -1, clob: 0 });
    expect(effectOfA64("stxr", "w8, x1, [x0]").clob).toBe(1 << 8);
    expect(effectOfA64("svc", "#0x0").kind).toBe(K.syscall);
    expect(effectOfA64("bl", "7e380 <f>").kind).toBe(K.call);
    expect(effectOfA64("cbz", "w3, ddba4 <f+0x44>").kind).toBe(K.jcc);
    expect(effectOfA64("br", "x17").kind).toBe(K.ijmp);
    expect(effectOfA64("ret", "").kind).toBe(K.stop);
  });
});

describe("the aarch64 objdump reader and the number walk", () => {
  const walk = (text: string) => {
    const s = scanObjdumpA64(text, new Map([[0x14f000 + 3944, "syscall"]]));
    const flow = flowOf(s.insns, s.edges, s.edgeKinds, new Set(s.labels.keys()), AARCH64_ABI);
    return { s, nrs: s.sites.map((site) => siteNumbers(site, flow)) };
  };

  it("__read: both svc sites take 63 (read) from `mov x8, #0x3f`, past the call before the second", () => {
    const { s, nrs } = walk(READ);
    expect(s.sites.map((x) => x.kind)).toEqual(["insn", "insn"]);
    expect(nrs.map((n) => n.nrs)).toEqual([[63], [63]]);
    expect(nrs.every((n) => n.unknown === undefined)).toBe(true);
    expect(s.edges).toContain(0x7e380); // bl target
    expect(s.jumpTargets.has(0xddba4)).toBe(true); // cbz target
    expect(s.jumpTargets.has(0xddbf4)).toBe(true); // b.hi target
  });

  it("syscall(): the number is its first argument, copied to w8 (`mov w8, w0`)", () => {
    const { nrs } = walk(SYSCALL);
    expect(nrs[0]).toEqual({ nrs: [], unknown: "an argument of its function" });
  });

  it("a call of syscall@plt takes the number from x0; a copy from a callee-saved register or a pair load does not guess", () => {
    const { s, nrs } = walk(SYSTEMD);
    expect(s.pltCalls.map((p) => p.name)).toContain("syscall");
    const wrapper = s.sites.findIndex((x) => x.kind === "wrapper");
    expect(nrs[wrapper]!.nrs).toEqual([172]); // gettid
    const insns = s.sites.map((x, i) => ({ x, n: nrs[i]! })).filter((p) => p.x.kind === "insn");
    expect(insns[0]!.n.nrs).toEqual([]); // x8 ← x19, set before the function: unknown
    expect(insns[1]!.n).toEqual({ nrs: [], unknown: "computed or loaded from memory" }); // ldp x8, x9
  });

  it("the PLT stub's `adrp x16; ldr x17, [x16, #off]; br x17` is a call through the GOT slot its relocation names", () => {
    const { s } = walk(SYSTEMD);
    expect(s.pltCalls).toContainEqual({ from: 0x17d8c, got: 0x14f000 + 3944, name: "syscall" });
    expect(s.indirect).toEqual([]);
  });

  it("a branch to shared error code inside another function starts a node there, not that function", () => {
    // __socket's error path branches to __syscall_error, which the stripped libc names as an
    // offset into __libc_start_main; __libc_start_main's own code (exit_group here) is not taken.
    const text = `
0000000000027700 <__libc_start_main@@GLIBC_2.34>:
   27764:	mov	x8, #0x5d                  	// #93
   27768:	mov	x0, #0x0                   	// #0
   2776c:	svc	#0x0
   278d4:	b	277d4 <__libc_start_main@@GLIBC_2.34+0xd4>
   278d8:	nop
   278e0:	adrp	x2, 19f000 <sys_sigabbrev@GLIBC_2.17+0x1c0>
   278e4:	ldr	x2, [x2, #3520]
   278fc:	ret
   27900:	adrp	x1, 15c000 <_libc_intl_domainname@@GLIBC_2.17+0x7d68>
   27904:	mov	x2, #0x1bb                 	// #443
   27908:	mov	x8, #0x40                  	// #64
   2790c:	svc	#0x0
   27910:	ret

00000000000ee800 <__socket@@GLIBC_PRIVATE>:
   ee800:	nop
   ee804:	mov	x8, #0xc6                  	// #198
   ee808:	svc	#0x0
   ee80c:	cmn	x0, #0xfff
   ee810:	b.cs	ee818 <__socket@@GLIBC_PRIVATE+0x18>  // b.hs, b.nlast
   ee814:	ret
   ee818:	b	278e0 <__libc_start_main@@GLIBC_2.34+0x1e0>
`;
    const scan = scanObjdumpA64(text);
    const elf: ElfFile = {
      machine: EM_AARCH64,
      type: 3,
      entry: 0,
      sections: [],
      dynamic: { needed: [] },
      dynsym: [
        { name: "socket", value: 0xee800, size: 28, type: 2, bind: 2, shndx: 12 },
        { name: "__libc_start_main", value: 0x27700, size: 0x214, type: 2, bind: 1, shndx: 12 },
      ],
      symtab: [],
      relocs: [],
    };
    const code = analyzeBinary(elf, new Uint8Array(0), scan, true);
    expect(code.exports.socket!.syscalls).toEqual([198]);
    // the code after __syscall_error's ret stays with __libc_start_main
    expect(code.exports.__libc_start_main!.syscalls).toEqual([64, 93]);
  });
});
