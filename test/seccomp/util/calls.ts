/**
 * Syscalls to throw at a compiled filter: every number the filter names and its neighbours, the
 * stub limits, random and edge numbers, on every arch the filter has (x32 too) and on unknown
 * ones; arguments from the rules' own data (±1, as hi/lo halves) and boundary values (sign-
 * extended negatives, 2^31, 2^32, 2^63, all ones) mixed with random 64-bit values.
 */
import { seededRandom } from "../../../stages/coverage/rng.ts";
import type { CompiledFilter } from "../../../stages/seccomp/compile.ts";
import { AUDIT_ARCH, X32_SYSCALL_BIT } from "../../../stages/seccomp/target.ts";
import type { Node } from "../../../stages/seccomp/tree.ts";

export interface Call {
  arch: string;
  audit: number;
  nr: number;
  args: bigint[];
}

const U64 = (1n << 64n) - 1n;
const EDGES = [
  0n,
  1n,
  2n,
  7n,
  8n,
  37n,
  38n,
  39n,
  40n,
  41n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0x100000001n,
  0x7fffffffffffffffn,
  0x8000000000000000n,
  U64,
  U64 - 1n,
  -38n & U64,
  -100n & U64,
  0xffffffff80000000n,
  0x7e020000n,
  0x20000n,
  0x20008n,
];

function datums(n: Node | null, out: Set<bigint>, seen = new Set<Node>()): void {
  for (let c = n; c && !seen.has(c); c = c.lvlNxt) {
    seen.add(c);
    for (const d of [c.datumFull, c.datumFull + 1n, c.datumFull - 1n]) out.add(d & U64);
    out.add(BigInt(c.datum));
    out.add(BigInt(c.datum) << 32n);
    out.add((BigInt(c.datum) << 32n) | 0xffffffffn);
    out.add(BigInt(c.mask) ^ 0xffffffffn);
    datums(c.nxtT, out, seen);
    datums(c.nxtF, out, seen);
  }
}

export function callsFor(f: CompiledFilter, count: number, seed: number): Call[] {
  const rnd = seededRandom(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const u64 = (): bigint => (BigInt(int(0x100000000)) << 32n) | BigInt(int(0x100000000));
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

  const arches: { arch: string; audit: number; x32?: boolean }[] = [];
  for (const s of f.sections)
    for (const db of s.dbs)
      arches.push({ arch: db.arch, audit: AUDIT_ARCH[db.arch], x32: db.arch === "x32" });
  if (!arches.some((a) => a.arch === "x32") && arches.some((a) => a.arch === "x86_64"))
    arches.push({ arch: "x32", audit: AUDIT_ARCH.x32, x32: true });
  arches.push({ arch: "ppc64le", audit: 0xc0000015 }, { arch: "mips", audit: 0x00000008 });

  const nrs = new Set<number>([0xffffffff, X32_SYSCALL_BIT, X32_SYSCALL_BIT - 1]);
  const values = new Set<bigint>(EDGES);
  for (const s of f.sections)
    for (const db of s.dbs)
      for (const [nr, e] of db.entries) {
        for (const d of [nr, nr + 1, nr - 1]) nrs.add(d >>> 0);
        datums(e.chains, values);
      }
  for (const m of f.stub?.values() ?? [])
    for (const v of Object.values(m)) for (const d of [v, v + 1, v - 1]) nrs.add(d >>> 0);
  const nrList = [...nrs];
  const valueList = [...values];

  const out: Call[] = [];
  for (let i = 0; i < count; i++) {
    const a = int(10) === 0 ? pick(arches.slice(-2)) : pick(arches);
    const r = rnd();
    let nr = r < 0.75 ? pick(nrList) : r < 0.9 ? int(1100) : int(0x100000000);
    if (a.x32 && rnd() < 0.8) nr = (nr | X32_SYSCALL_BIT) >>> 0;
    const args: bigint[] = [];
    for (let k = 0; k < 6; k++) {
      const q = rnd();
      args.push(q < 0.6 ? pick(valueList) : q < 0.8 ? BigInt(int(64)) : u64());
    }
    out.push({ arch: a.arch, audit: a.audit, nr, args });
  }
  return out;
}
