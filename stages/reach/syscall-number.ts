/**
 * The syscall numbers at a site: a backward walk over the file's instructions from the site,
 * following the register that holds the number (x86_64: %eax for a `syscall` instruction, %edi
 * for a call of syscall(); aarch64: x8 for `svc #0`, x0 for syscall()) through register-to-register moves, across jumps (every jump into a block is a
 * predecessor) and fall-through, until immediates set it. A path that loads it from memory,
 * computes it, starts a function (an argument) or crosses a call that clobbers it leaves the
 * number unknown on that path: reported with its reason, never guessed.
 */
import { A64_CALL_CLOBBERED, A64_SYSCALL_CLOBBERED } from "./effects-aarch64.ts";
import { CALL_CLOBBERED, fam, K, S, SYSCALL_CLOBBERED } from "./effects.ts";
import type { Insns, SyscallSite } from "./objdump.ts";

export interface SiteNumbers {
  /** numbers found on some path, sorted */
  nrs: number[];
  /** why some path gave no number (undefined: every path ended at an immediate) */
  unknown?: string;
}

/** Where an architecture's calling conventions put the number, and what a call or syscall changes. */
export interface NumberAbi {
  /** register family of the number at a syscall instruction */
  insnReg: number;
  /** at a call of syscall(): its first argument */
  wrapperReg: number;
  callClobbered: ReadonlySet<number>;
  syscallClobbered: ReadonlySet<number>;
}

export const X86_64_ABI: NumberAbi = {
  insnReg: fam("a"),
  wrapperReg: fam("di"),
  callClobbered: CALL_CLOBBERED,
  syscallClobbered: SYSCALL_CLOBBERED,
};
export const AARCH64_ABI: NumberAbi = {
  insnReg: 8,
  wrapperReg: 0,
  callClobbered: A64_CALL_CLOBBERED,
  syscallClobbered: A64_SYSCALL_CLOBBERED,
};

/** Predecessor index lists the walk needs: jump sources per target address, and function starts. */
export interface Flow {
  insns: Insns;
  jumpsTo: ReadonlyMap<number, readonly number[]>;
  labels: ReadonlySet<number>;
  abi: NumberAbi;
}

/** Builds the jump-source map from the scan's instructions and direct branch edges. */
export function flowOf(
  insns: Insns,
  edges: readonly number[],
  edgeKinds: readonly number[],
  labels: ReadonlySet<number>,
  abi: NumberAbi = X86_64_ABI,
): Flow {
  const jumpsTo = new Map<number, number[]>();
  const indexOf = indexer(insns.addr);
  for (let i = 0; i < edgeKinds.length; i++) {
    if (edgeKinds[i] === 0) continue;
    const from = indexOf(edges[2 * i]!);
    if (from < 0) continue;
    const to = edges[2 * i + 1]!;
    const l = jumpsTo.get(to);
    if (l) l.push(from);
    else jumpsTo.set(to, [from]);
  }
  return { insns, jumpsTo, labels, abi };
}

/** Binary search of an address in the (increasing) instruction addresses; -1 when absent. */
export function indexer(addrs: readonly number[]): (addr: number) => number {
  return (addr) => {
    let lo = 0,
      hi = addrs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = addrs[mid]!;
      if (v === addr) return mid;
      if (v < addr) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
}

/** How many (instruction, register) states one site's walk may visit. */
const BUDGET = 2000;

export function siteNumbers(site: SyscallSite, flow: Flow): SiteNumbers {
  const { insns, jumpsTo, labels, abi } = flow;
  const nrs = new Set<number>();
  let unknown: string | undefined;
  const fail = (why: string): void => {
    unknown ??= why;
  };
  const seen = new Set<number>();
  // Each state: the value of `reg` is needed at the entry of instruction `pos`.
  const todo: [number, number][] = [[site.index, site.kind === "insn" ? abi.insnReg : abi.wrapperReg]];
  let steps = 0;
  while (todo.length) {
    const [pos, reg] = todo.pop()!;
    const key = pos * 64 + reg;
    if (seen.has(key)) continue;
    seen.add(key);
    if (++steps > BUDGET) {
      fail("too many paths");
      break;
    }
    const addr = insns.addr[pos]!;
    const preds: number[] = [...(jumpsTo.get(addr) ?? [])];
    const start = labels.has(addr);
    if (!start && pos > 0) {
      const k = insns.kind[pos - 1]!;
      if (k !== K.jmp && k !== K.ijmp && k !== K.stop) preds.push(pos - 1);
    }
    if (preds.length === 0) {
      // Padding after a jump or return (nops) is never executed: a dead path, not an unknown one.
      if (!start && insns.kind[pos] === K.nop) continue;
      fail(start ? "an argument of its function" : "no path to it (reached only indirectly)");
      continue;
    }
    for (const j of preds) {
      const k = insns.kind[j]!;
      if (k === K.call) {
        if (abi.callClobbered.has(reg)) fail("a call before the number is set");
        else todo.push([j, reg]);
        continue;
      }
      if (k === K.syscall && abi.syscallClobbered.has(reg)) {
        fail("another syscall's result");
        continue;
      }
      if ((insns.clob[j]! & (1 << reg)) !== 0) {
        fail("computed or loaded from memory");
        continue;
      }
      if (insns.dst[j] !== reg) {
        todo.push([j, reg]);
        continue;
      }
      const src = insns.src[j]!;
      if (src === S.imm) nrs.add(insns.val[j]!);
      else if (src === S.zero) nrs.add(0);
      else if (src === S.reg) todo.push([j, insns.val[j]!]);
      else fail("computed or loaded from memory");
    }
  }
  const out: SiteNumbers = { nrs: [...nrs].sort((a, b) => a - b) };
  if (unknown !== undefined) out.unknown = unknown;
  return out;
}
