/**
 * One ELF file's code as reachability needs it: its syscall sites with their numbers, and a call
 * graph over its own disassembly (nodes start at symbols, labels and direct call targets; an edge
 * is a direct call or jump into another node) closed per exported function into the syscalls
 * and imported functions it can reach. Indirect calls are not followed (counted per closure).
 */
import {
  arrayEntries,
  EM_AARCH64,
  exportedFunctions,
  functionStarts,
  importedFunctions,
  type ElfFile,
} from "./elf.ts";
import type { Scan } from "./objdump.ts";
import { K } from "./effects.ts";
import { AARCH64_ABI, flowOf, indexer, siteNumbers, X86_64_ABI } from "./syscall-number.ts";

/** What one function (or the whole file) reaches. */
export interface Reach {
  /** syscall numbers, sorted */
  syscalls: number[];
  /** imported functions called through the PLT or GOT, sorted (resolved in other files) */
  imports: string[];
  /** syscall sites whose number the walk could not find on any path */
  unknownSites: number;
  /** their addresses */
  unknownAt: number[];
  /** indirect calls or jumps (function pointers, vtables) that were not followed */
  indirect: number;
}

export interface UnknownSite {
  addr: number;
  reason: string;
}

export interface BinaryCode {
  /** bumped when the analysis changes, so cached results of an older one are not reused */
  version: number;
  buildId: string | null;
  machine: number;
  soname: string | null;
  needed: string[];
  runpath: string | null;
  rpath: string | null;
  interpreter: string | null;
  instructions: number;
  /** the whole file: every syscall site, every imported function */
  whole: Reach;
  unknown: UnknownSite[];
  /** sites with numbers on some paths and none found on others */
  partialSites: number;
  /** every exported (defined, global or weak) function, sorted */
  exportNames: string[];
  /** per exported function (every version's address joined), when closures were asked for */
  exports: Record<string, Reach>;
  /** DT_INIT and DT_INIT_ARRAY: what loading the file runs */
  init: Reach;
}

export const ANALYSIS_VERSION = 5;

const WORDS = 16; // 512 syscall numbers

/** Builds a file's code view from its ELF and objdump scan; `closures` computes `exports`. */
export function analyzeBinary(elf: ElfFile, bytes: Uint8Array, scan: Scan, closures: boolean): BinaryCode {
  const starts = new Set<number>([...scan.labels.keys(), ...functionStarts(elf).keys()]);
  const abi = elf.machine === EM_AARCH64 ? AARCH64_ABI : X86_64_ABI;
  const flow = flowOf(scan.insns, scan.edges, scan.edgeKinds, starts, abi);
  const siteNr: number[][] = [];
  const unknown: UnknownSite[] = [];
  let partial = 0;
  for (const s of scan.sites) {
    const r = siteNumbers(s, flow);
    siteNr.push(r.nrs);
    if (r.unknown !== undefined && r.nrs.length === 0) {
      unknown.push({ addr: s.addr, reason: `${s.kind === "wrapper" ? "syscall() call: " : ""}${r.unknown}` });
    } else if (r.unknown !== undefined) partial++;
  }
  const wholeSys = new Set<number>();
  for (const ns of siteNr) for (const n of ns) wholeSys.add(n);
  const calledImports = new Set<string>();
  for (const p of scan.pltCalls) if (p.name !== undefined) calledImports.add(p.name);
  for (const n of importedFunctions(elf)) calledImports.add(n);

  const initRoots = [
    ...(elf.dynamic.init !== undefined ? [elf.dynamic.init] : []),
    ...arrayEntries(elf, bytes, "init"),
  ];

  const graph = buildGraph(elf, scan, siteNr, initRoots);
  const exports: Record<string, Reach> = {};
  const exported = [...exportedFunctions(elf)].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (closures) for (const [name, addrs] of exported) exports[name] = graph.reachFrom(addrs);
  return {
    version: ANALYSIS_VERSION,
    buildId: elf.buildId ?? null,
    machine: elf.machine,
    soname: elf.dynamic.soname ?? null,
    needed: elf.dynamic.needed,
    runpath: elf.dynamic.runpath ?? null,
    rpath: elf.dynamic.rpath ?? null,
    interpreter: elf.interpreter ?? null,
    instructions: scan.instructions,
    whole: {
      syscalls: [...wholeSys].sort((a, b) => a - b),
      imports: [...calledImports].sort(),
      unknownSites: unknown.length,
      unknownAt: unknown.map((u) => u.addr),
      indirect: scan.indirect.length,
    },
    unknown,
    partialSites: partial,
    exportNames: exported.map(([name]) => name),
    exports,
    init: graph.reachFrom(initRoots),
  };
}

interface Graph {
  reachFrom(addrs: readonly number[]): Reach;
}

/** The call graph, condensed into strongly connected components, each closed once. */
function buildGraph(
  elf: ElfFile,
  scan: Scan,
  siteNr: readonly (readonly number[])[],
  roots: readonly number[],
): Graph {
  const starts = new Set<number>([...functionStarts(elf).keys(), ...scan.labels.keys(), ...roots]);
  for (let i = 0; i < scan.edgeKinds.length; i++)
    if (scan.edgeKinds[i] === 0) starts.add(scan.edges[2 * i + 1]!);
  // A function pointer taken in code (`lea fn(%rip)`: IFUNC resolvers, pthread_once, atexit,
  // signal handlers) starts a node and is taken to be called from where it is taken.
  const code = elf.sections.filter((s) => (s.flags & 4) !== 0 && s.addr !== 0);
  const inCode = (a: number): boolean => code.some((s) => a >= s.addr && a < s.addr + s.size);
  const leaEdges: number[] = [];
  for (let i = 0; i < scan.leas.length; i += 2) {
    const to = scan.leas[i + 1]!;
    if (!inCode(to)) continue;
    starts.add(to);
    leaEdges.push(scan.leas[i]!, to);
  }
  const fallEdges = splitAtForeignJumps(scan, starts);
  const sorted = Float64Array.from(starts).sort();
  const n = sorted.length;
  const nodeOf = (addr: number): number => {
    return floorIndex(sorted, addr);
  };

  const succ: number[][] = Array.from({ length: n }, () => []);
  const sys: Uint32Array[] = [];
  const imports: (Set<string> | undefined)[] = new Array<Set<string> | undefined>(n);
  const unknownAt: number[][] = Array.from({ length: n }, () => []);
  const indirectCount = new Int32Array(n);
  const bits = (i: number): Uint32Array => (sys[i] ??= new Uint32Array(WORDS));

  for (const [x, y] of [...chunk(leaEdges), ...chunk(fallEdges)]) {
    const a = nodeOf(x);
    const b = nodeOf(y);
    if (a >= 0 && b >= 0 && a !== b) succ[a]!.push(b);
  }
  for (let i = 0; i < scan.edgeKinds.length; i++) {
    const a = nodeOf(scan.edges[2 * i]!);
    const b = nodeOf(scan.edges[2 * i + 1]!);
    if (a >= 0 && b >= 0 && a !== b) succ[a]!.push(b);
  }
  scan.sites.forEach((s, i) => {
    const a = nodeOf(s.addr);
    if (a < 0) return;
    const nrs = siteNr[i]!;
    if (nrs.length === 0) unknownAt[a]!.push(s.addr);
    for (const nr of nrs) if (nr < WORDS * 32) bits(a)[nr >> 5]! |= 1 << (nr & 31);
  });
  for (const p of scan.pltCalls) {
    const a = nodeOf(p.from);
    if (a >= 0 && p.name !== undefined) (imports[a] ??= new Set()).add(p.name);
  }
  for (const addr of scan.indirect) {
    const a = nodeOf(addr);
    if (a >= 0) indirectCount[a]!++;
  }

  // Tarjan's algorithm, iterative (libc's graph is deep enough to overflow a recursive one).
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const comps: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { v: number; i: number }[] = [{ v: root, i: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1]!;
      const s = succ[top.v]!;
      if (top.i < s.length) {
        const w = s[top.i++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, i: 0 });
        } else if (onStack[w]) low[top.v] = Math.min(low[top.v]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.v;
        low[parent] = Math.min(low[parent]!, low[top.v]!);
      }
      if (low[top.v] === index[top.v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = comps.length;
          members.push(w);
        } while (w !== top.v);
        comps.push(members);
      }
    }
  }

  // Tarjan emits components in reverse topological order: successors' components come first.
  const cSys = comps.map(() => new Uint32Array(WORDS));
  const cImports: Set<string>[] = comps.map(() => new Set());
  const cUnknown: number[][] = comps.map(() => []);
  const cIndirect = new Int32Array(comps.length);
  const cSucc: Set<number>[] = comps.map(() => new Set());
  comps.forEach((members, c) => {
    for (const v of members) {
      const b = sys[v];
      if (b) for (let k = 0; k < WORDS; k++) cSys[c]![k]! |= b[k]!;
      for (const name of imports[v] ?? []) cImports[c]!.add(name);
      cUnknown[c]!.push(...unknownAt[v]!);
      cIndirect[c]! += indirectCount[v]!;
      for (const w of succ[v]!) if (comp[w] !== c) cSucc[c]!.add(comp[w]!);
    }
  });
  // The closure's counts are of distinct components' own sites, summed over what each reaches.
  const closed = comps.map((_, c) => {
    const b = cSys[c]!;
    const im = cImports[c]!;
    for (const d of cSucc[c]!) {
      const db = cSys[d]!;
      for (let k = 0; k < WORDS; k++) b[k]! |= db[k]!;
      for (const x of cImports[d]!) im.add(x);
    }
    return { b, im };
  });

  const compClosure = (cs: readonly number[]): { unknown: number[]; indirect: number } => {
    const seen = new Uint8Array(comps.length);
    const todo = [...cs];
    const unknownSites: number[] = [];
    let indirect = 0;
    while (todo.length) {
      const c = todo.pop()!;
      if (seen[c]) continue;
      seen[c] = 1;
      unknownSites.push(...cUnknown[c]!);
      indirect += cIndirect[c]!;
      for (const d of cSucc[c]!) if (!seen[d]) todo.push(d);
    }
    return { unknown: unknownSites, indirect };
  };

  return {
    reachFrom(addrs) {
      const cs = [
        ...new Set(
          addrs
            .map(nodeOf)
            .filter((v) => v >= 0)
            .map((v) => comp[v]!),
        ),
      ];
      const b = new Uint32Array(WORDS);
      const im = new Set<string>();
      for (const c of cs) {
        const cl = closed[c]!;
        for (let k = 0; k < WORDS; k++) b[k]! |= cl.b[k]!;
        for (const x of cl.im) im.add(x);
      }
      const counts = compClosure(cs);
      const unknownAt = counts.unknown.sort((x, y) => x - y);
      return {
        syscalls: fromBits(b),
        imports: [...im].sort(),
        unknownSites: unknownAt.length,
        unknownAt,
        indirect: counts.indirect,
      };
    },
  };
}

const chunk = (flat: readonly number[]): [number, number][] => {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

/**
 * A jump (not a call) into the middle of another node: a stripped libc names shared local code
 * only as an offset into the function before it (aarch64's __syscall_error, which every syscall
 * stub branches to; x86_64's posix_fallocate64 jumping into posix_fallocate's fallback), so the
 * jumper would take that whole function. The target starts a node, which ends at its first
 * return or jump no branch inside it passes; the code before and after it stays reachable from
 * the node it was part of (fall-through edges). Returns those edges (from, to pairs); adds the
 * starts.
 */
function splitAtForeignJumps(scan: Scan, starts: Set<number>): number[] {
  const sorted = Float64Array.from(starts).sort();
  const nodeStart = (addr: number): number => {
    const best = floorIndex(sorted, addr);
    return best < 0 ? -1 : sorted[best]!;
  };
  const { addr, kind } = scan.insns;
  const index = indexer(addr);
  const jumpFrom = new Map<number, number>();
  for (let i = 0; i < scan.edgeKinds.length; i++)
    if (scan.edgeKinds[i] !== 0) jumpFrom.set(scan.edges[2 * i]!, scan.edges[2 * i + 1]!);
  const fall: number[] = [];
  const ends = (k: number): boolean => k === K.jmp || k === K.ijmp || k === K.stop;
  for (let i = 0; i < scan.edgeKinds.length; i++) {
    if (scan.edgeKinds[i] === 0) continue;
    const from = scan.edges[2 * i]!;
    const to = scan.edges[2 * i + 1]!;
    if (starts.has(to) || nodeStart(from) === nodeStart(to)) continue;
    const j = index(to);
    if (j < 0) continue;
    starts.add(to);
    // the last instruction before the target that is not padding (nops between functions)
    let b = j - 1;
    while (b >= 0 && kind[b] === K.nop) b--;
    const before = b >= 0 ? addr[b]! : -1;
    if (b >= 0 && !ends(kind[b]!)) fall.push(before, to);
    // The jumped-to code ends at its first return or jump that no branch inside it passes; what
    // follows is the enclosing node's again (reached from it, not from the jumped-to code).
    let reach = to;
    for (let p = j; p < addr.length && (p === j || !starts.has(addr[p]!)); p++) {
      const t = jumpFrom.get(addr[p]!);
      if (t !== undefined && t > reach) reach = t;
      if ((kind[p] !== K.stop && kind[p] !== K.jmp) || reach > addr[p]!) continue;
      let q = p + 1;
      while (q < addr.length && kind[q] === K.nop) q++;
      if (q < addr.length && !starts.has(addr[q]!) && before >= 0) {
        starts.add(addr[q]!);
        fall.push(before, addr[q]!);
      }
      break;
    }
  }
  return fall;
}

function fromBits(b: Uint32Array): number[] {
  const out: number[] = [];
  for (let k = 0; k < WORDS; k++) for (let j = 0; j < 32; j++) if (b[k]! & (1 << j)) out.push(k * 32 + j);
  return out;
}

/** The index of the last value ≤ `x` in the ascending `sorted`, or -1 when every value is above it. */
function floorIndex(sorted: Float64Array, x: number): number {
  let lo = 0,
    hi = sorted.length - 1,
    best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
