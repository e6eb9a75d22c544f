/**
 * Reads the text of `objdump -d --no-show-raw-insn` (GNU binutils, AT&T syntax, x86_64) line by
 * line and keeps only what the call graph and the syscall numbers need: function labels, direct
 * branch edges, calls through PLT stubs or GOT slots, indirect branches, and each `syscall`
 * instruction (or call of libc's `syscall()` wrapper) with the instructions before it. Streaming,
 * so a 9 MB program's 1.5 million instructions are never held at once. Pure: text in.
 */

import { INSN, isOtherLine, LABEL, recordDirect, WRAPPERS } from "./objdump-text.ts";
import { effectOf, type Effect } from "./effects.ts";

/** A `syscall` instruction or a call of `syscall()`. */
export interface SyscallSite {
  addr: number;
  /** index of the instruction in `Scan.insns` */
  index: number;
  /** "insn": the `syscall` instruction (number in %eax); "wrapper": a call of syscall() (number in %edi) */
  kind: "insn" | "wrapper";
}

/**
 * Every instruction, reduced to what the number walk needs (in address order, as objdump prints
 * them): its address, its control-flow kind and the register it writes and from what.
 */
export interface Insns {
  addr: number[];
  kind: number[];
  dst: number[];
  src: number[];
  val: number[];
  /** registers written with a value the walk does not know, as a bit mask (aarch64 pair loads, writeback; 0 on x86_64) */
  clob: number[];
}

export interface Scan {
  /** label address → name as objdump printed it (`read@@GLIBC_2.2.5`, `memcpy@plt`) */
  labels: Map<number, string>;
  /** direct branches: from, to (flat pairs); kind 0 call, 1 jmp, 2 conditional jump */
  edges: number[];
  edgeKinds: number[];
  /** branches to a PLT stub or through a GOT slot: from address and the slot or stub address */
  pltCalls: { from: number; name?: string; got?: number }[];
  /** targets of jumps (block starts for the syscall-number walk) */
  jumpTargets: Set<number>;
  sites: SyscallSite[];
  insns: Insns;
  /** rip-relative `lea` of an address (a function pointer taken, or data): from, to (flat pairs) */
  leas: number[];
  /** addresses of indirect calls and jumps not through a GOT slot */
  indirect: number[];
  instructions: number;
  /** lines that were neither an instruction, a label, a section header nor blank (counted) */
  otherLines: number;
}

const PREFIXES = new Set([
  "notrack",
  "bnd",
  "lock",
  "rep",
  "repz",
  "repnz",
  "repe",
  "repne",
  "ds",
  "cs",
  "data16",
  "addr32",
  "rex",
  "rex.W",
  "es",
  "ss",
  "fs",
  "gs",
]);
const CALLS = new Set(["call", "callq"]);
const JUMPS = new Set(["jmp", "jmpq"]);
/** Names of the syscall() wrapper as a PLT stub or label. */

const TARGET = /^([0-9a-f]+) <(.+)>$/;
const BARE_TARGET = /^([0-9a-f]+)$/;
const COMMENT_ADDR = /#\s*([0-9a-f]+)(?:\s+<(.+)>)?\s*$/;

/** A scan before its first line (both architectures' readers start from it). */
export function emptyScan(): Scan {
  return {
    labels: new Map(),
    edges: [],
    edgeKinds: [],
    pltCalls: [],
    jumpTargets: new Set(),
    sites: [],
    insns: { addr: [], kind: [], dst: [], src: [], val: [], clob: [] },
    leas: [],
    indirect: [],
    instructions: 0,
    otherLines: 0,
  };
}

/** A streaming scanner: push each line of objdump's output, then `finish()`. */
export class ObjdumpScanner {
  private readonly scan: Scan = emptyScan();
  /** `gotNames`: GOT slot address → symbol (from the ELF's relocations), to name `call *slot(%rip)`. */
  constructor(private readonly gotNames: ReadonlyMap<number, string> = new Map()) {}

  push(line: string): void {
    const m = INSN.exec(line);
    if (!m) {
      const l = LABEL.exec(line);
      if (l) {
        this.scan.labels.set(parseInt(l[1]!, 16), l[2]!);
      } else if (isOtherLine(line)) {
        this.scan.otherLines++;
      }
      return;
    }
    const addr = parseInt(m[1]!, 16);
    const text = m[2]!;
    if (text === "") return;
    this.scan.instructions++;
    const words = text.split(/\s+/);
    let i = 0;
    while (i < words.length - 1 && PREFIXES.has(words[i]!)) i++;
    const op = words[i] ?? "";
    const rest = text.slice(text.indexOf(op, 0) + op.length).trim();
    const index = this.scan.insns.addr.length;
    const e: Effect = text.startsWith("(bad)") ? { kind: 4, dst: -1, src: 0, val: 0 } : effectOf(op, rest);
    const ins = this.scan.insns;
    ins.addr.push(addr);
    ins.kind.push(e.kind);
    ins.dst.push(e.dst);
    ins.src.push(e.src);
    ins.val.push(e.val);
    ins.clob.push(0);
    this.branch(addr, op, rest, index);
    if (op === "lea" && rest.includes("(%rip)")) {
      const c = COMMENT_ADDR.exec(rest);
      if (c) this.scan.leas.push(addr, parseInt(c[1]!, 16));
    }
    if (op === "syscall") this.scan.sites.push({ addr, index, kind: "insn" });
  }

  private branch(addr: number, op: string, args: string, index: number): void {
    const isCall = CALLS.has(op);
    const isJmp = JUMPS.has(op);
    const isJcc = !isCall && !isJmp && op.startsWith("j");
    if (!isCall && !isJmp && !isJcc) return;
    if (args.startsWith("*")) {
      const c = COMMENT_ADDR.exec(args);
      if (c && /\(%rip\)/.test(args)) {
        const got = parseInt(c[1]!, 16);
        const name = this.gotNames.get(got);
        this.scan.pltCalls.push(name !== undefined ? { from: addr, got, name } : { from: addr, got });
        if (isCall && name !== undefined && WRAPPERS.test(name)) {
          this.scan.sites.push({ addr, kind: "wrapper", index });
        }
      } else this.scan.indirect.push(addr);
      return;
    }
    const t = TARGET.exec(args) ?? BARE_TARGET.exec(args);
    if (!t) return;
    recordDirect(this.scan, addr, index, parseInt(t[1]!, 16), t[2], isCall ? 0 : isJmp ? 1 : 2);
  }

  finish(): Scan {
    return this.scan;
  }
}

/** Scans a whole objdump text (tests, small inputs). */
export function scanObjdump(text: string, gotNames?: ReadonlyMap<number, string>): Scan {
  const s = new ObjdumpScanner(gotNames);
  for (const line of text.split("\n")) s.push(line);
  return s.finish();
}
