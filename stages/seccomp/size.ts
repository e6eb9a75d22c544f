/**
 * Estimated size of the program runc loads, in classic-BPF instructions (the kernel's limit is
 * 4096): libseccomp's layout (gen_bpf.c: arch checks, x86_64's x32 check, one jump per syscall,
 * per argument node a jump plus the reloads and masks it needs, one return per distinct action)
 * plus runc's ENOSYS stub. It leaves out libseccomp's block de-duplication and its long-jump
 * returns; pipeline/seccomp/libseccomp.ts gives the exact count and the test compares both.
 */
import type { CompiledFilter } from "./compile.ts";
import { AUDIT_ARCH } from "./target.ts";
import type { Node } from "./tree.ts";

export const BPF_MAX_INSNS = 4096;

export interface SizeEstimate {
  /** libseccomp's program */
  filter: number;
  /** runc's ENOSYS stub in front of it */
  stub: number;
  total: number;
}

interface Acc {
  offset: number;
  mask: number;
}

function levelStart(n: Node): Node {
  let c = n;
  while (c.lvlPrv) c = c.lvlPrv;
  return c;
}

function chainSize(level: Node, genIn: Acc, rets: Set<number>): number {
  let n = 0;
  let gen = genIn;
  for (let c: Node | null = levelStart(level); c; c = c.lvlNxt) {
    let start = gen;
    const off = 16 + 8 * c.arg + (c.hi ? 4 : 0);
    if (off !== gen.offset || (c.mask & gen.mask) >>> 0 !== c.mask) {
      n++;
      gen = { offset: off, mask: 0xffffffff };
      start = { offset: -1, mask: 0xffffffff };
    }
    if (c.mask !== gen.mask) {
      n++;
      gen = { offset: gen.offset, mask: c.mask };
    }
    n++;
    if (c.actT) rets.add(c.actT.ret);
    if (c.actF) rets.add(c.actF.ret);
    if (c.nxtT) n += chainSize(c.nxtT, start, rets);
    if (c.nxtF) n += chainSize(c.nxtF, start, rets);
  }
  return n;
}

export function estimateSize(f: CompiledFilter): SizeEstimate {
  const rets = new Set<number>([f.defaultRet >>> 0]);
  let filter = 1 + 1; // load arch; bad-arch return
  for (const s of f.sections) {
    filter += 1; // arch check
    const arches = s.dbs.map((d) => d.arch);
    const abiCheck = arches.length === 1 && (arches[0] === "x86_64" || arches[0] === "x32");
    filter += abiCheck ? (arches[0] === "x86_64" ? 3 : 2) : 1; // load nr (+ x32 bit checks)
    for (const db of s.dbs)
      for (const e of db.entries.values()) {
        filter += 1;
        if (e.chains) filter += chainSize(e.chains, { offset: 0, mask: 0xffffffff }, rets);
        else if (e.act) rets.add(e.act.ret >>> 0);
      }
  }
  filter += rets.size;
  let stub = 0;
  if (f.stub) {
    stub = 1 + 1 + 2; // load arch, jump over, tail (jump, return ENOSYS)
    for (const [audit, maxes] of f.stub) {
      const both = Object.keys(maxes).length > 1;
      stub += 1 + 1 + (both ? 4 : audit === AUDIT_ARCH.x86_64 ? 3 : 2);
    }
  }
  return { filter, stub, total: filter + stub };
}
