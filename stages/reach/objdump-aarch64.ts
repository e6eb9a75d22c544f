/**
 * Reads the text of `aarch64-linux-gnu-objdump -d --no-show-raw-insn -w` (GNU binutils, A64) into
 * the same Scan as the x86_64 reader: labels, direct branch edges (`bl`, `b`, `b.cond`,
 * `cbz`/`cbnz`, `tbz`/`tbnz`), calls through PLT stubs (`bl name@plt`) or through a GOT slot
 * (`adrp xN, page; ldr xM, [xN, #off]; blr xM`, the slot named by its JUMP_SLOT/GLOB_DAT
 * relocation), addresses taken (`adrp` + `add`, `adr`: the x86_64 `lea` of a function), indirect
 * branches, and each `svc #0` (number in x8) or call of syscall() (number in x0). Streaming. Pure.
 */
import { INSN, isOtherLine, LABEL, recordDirect, WRAPPERS } from "./objdump-text.ts";
import { K } from "./effects.ts";
import { effectOfA64 } from "./effects-aarch64.ts";
import { emptyScan, type Scan } from "./objdump.ts";

const TARGET = /(?:^|,\s*)([0-9a-f]+)(?: <(.+)>)?$/;
const DIRECT = new Set(["bl", "b", "cbz", "cbnz", "tbz", "tbnz"]);
const IMM_OFF = /^\[(x\d{1,2}|sp)(?:, #(0x[0-9a-f]+|\d+))?\]$/;
/** x0–x18 and x30: what a call may change (AAPCS64), as a register mask */
const CALLER_SAVED = 0x4007ffff;

/** A streaming scanner of A64 objdump text: push each line, then `finish()`. */
export class ObjdumpScannerA64 {
  private readonly scan: Scan = emptyScan();
  /** per register: the page an `adrp` put there (NaN: none) */
  private readonly page = new Float64Array(32).fill(NaN);
  /** per register: the GOT slot whose value an `ldr` put there (NaN: none) */
  private readonly slot = new Float64Array(32).fill(NaN);

  /** `gotNames`: GOT slot address → symbol (the ELF's JUMP_SLOT and GLOB_DAT relocations). */
  constructor(private readonly gotNames: ReadonlyMap<number, string> = new Map()) {}

  push(line: string): void {
    const m = INSN.exec(line);
    if (!m) {
      const l = LABEL.exec(line);
      if (l) {
        this.scan.labels.set(parseInt(l[1]!, 16), l[2]!);
        this.page.fill(NaN);
        this.slot.fill(NaN);
      } else if (isOtherLine(line)) {
        this.scan.otherLines++;
      }
      return;
    }
    const addr = parseInt(m[1]!, 16);
    const text = m[2]!;
    if (text === "") return;
    this.scan.instructions++;
    const tab = text.search(/[\t ]/);
    const op = tab < 0 ? text : text.slice(0, tab);
    const rest = tab < 0 ? "" : text.slice(tab + 1).trim();
    const index = this.scan.insns.addr.length;
    const undecoded = op.startsWith(".inst") || op === "udf" || text.includes("<unknown>");
    const e = undecoded ? { kind: K.stop, dst: -1, src: 0, val: 0, clob: 0 } : effectOfA64(op, rest);
    const ins = this.scan.insns;
    ins.addr.push(addr);
    ins.kind.push(e.kind);
    ins.dst.push(e.dst);
    ins.src.push(e.src);
    ins.val.push(e.val);
    ins.clob.push(e.clob);
    if (op === "svc") this.scan.sites.push({ addr, index, kind: "insn" });
    else this.branch(addr, op, rest, index);
    this.track(addr, op, rest, e.dst, e.clob);
  }

  /** adrp/add/adr/ldr tracking: addresses taken and GOT slots loaded. */
  private track(addr: number, op: string, rest: string, dst: number, clob: number): void {
    const tracked = op === "adrp" || op === "adr" || op === "add" || op === "ldr";
    if (!tracked) {
      // most instructions: forget what the registers they write held
      if (dst >= 0) this.page[dst] = this.slot[dst] = NaN;
      if (clob !== 0) this.forget(clob);
      if (op === "bl" || op === "blr") this.forget(CALLER_SAVED);
      return;
    }
    const ops = rest
      .split("//")[0]!
      .split(",")
      .map((s) => s.trim());
    const reg = (s: string | undefined): number => {
      const r = s ? /^x(\d{1,2})$/.exec(s) : null;
      return r ? Number(r[1]) : -1;
    };
    let page = NaN;
    let slot = NaN;
    if (op === "adrp") {
      const t = /^([0-9a-f]+)/.exec(ops[1] ?? "");
      if (t) page = parseInt(t[1]!, 16);
    } else if (op === "adr") {
      const t = /^([0-9a-f]+)/.exec(ops[1] ?? "");
      if (t) this.scan.leas.push(addr, parseInt(t[1]!, 16));
    } else if (op === "add" && ops.length === 3) {
      const base = this.page[reg(ops[1])];
      const imm = /^#(0x[0-9a-f]+|\d+)$/.exec(ops[2]!);
      if (base !== undefined && !Number.isNaN(base) && imm) this.scan.leas.push(addr, base + Number(imm[1]));
    } else if (op === "ldr" && ops.length >= 2) {
      const mem = IMM_OFF.exec(rest.split("//")[0]!.slice(rest.indexOf("[")).trim());
      const base = mem ? this.page[reg(mem[1])] : undefined;
      if (mem && base !== undefined && !Number.isNaN(base)) slot = base + Number(mem[2] ?? 0);
    }
    if (dst >= 0) this.page[dst] = this.slot[dst] = NaN;
    if (clob !== 0) this.forget(clob);
    const d = reg(ops[0]);
    if (d >= 0) {
      this.page[d] = page;
      this.slot[d] = slot;
    }
  }

  private forget(mask: number): void {
    for (let r = 0; r < 32; r++) if ((mask & (1 << r)) !== 0) this.page[r] = this.slot[r] = NaN;
  }

  private branch(addr: number, op: string, args: string, index: number): void {
    const isCall = op === "bl" || op === "blr";
    if (op === "blr" || op === "br") {
      const r = /^x(\d{1,2})$/.exec(args.trim());
      const got = r ? this.slot[Number(r[1])] : undefined;
      if (got !== undefined && !Number.isNaN(got)) {
        const name = this.gotNames.get(got);
        this.scan.pltCalls.push(name !== undefined ? { from: addr, got, name } : { from: addr, got });
        if (isCall && name !== undefined && WRAPPERS.test(name))
          this.scan.sites.push({ addr, kind: "wrapper", index });
      } else this.scan.indirect.push(addr);
      return;
    }
    const cond = op.startsWith("b.");
    if (!DIRECT.has(op) && !cond) return;
    const c = args.indexOf("//"); // objdump's alias note: `b.hi 1234 <f+0x94>  // b.pmore`
    const t = TARGET.exec((c >= 0 ? args.slice(0, c) : args).trim());
    if (!t) return;
    recordDirect(this.scan, addr, index, parseInt(t[1]!, 16), t[2], isCall ? 0 : op === "b" ? 1 : 2);
  }

  finish(): Scan {
    return this.scan;
  }
}

/** Scans a whole A64 objdump text (tests, small inputs). */
export function scanObjdumpA64(text: string, gotNames?: ReadonlyMap<number, string>): Scan {
  const s = new ObjdumpScannerA64(gotNames);
  for (const line of text.split("\n")) s.push(line);
  return s.finish();
}
