/**
 * How the BPF that libseccomp 2.5.4 generates (src/gen_bpf.c) walks a syscall's argument tree
 * (stages/seccomp/tree.ts), with the accumulator modelled as the program has it.
 *
 * Not modelled: gen_bpf's final layout, which reloads the accumulator in front of a shared block
 * only for the block placed before it. The walk below assumes the state at generation time; where
 * two paths reach one block with different accumulator contents the BPF can differ. In the
 * differential test this shows only on syscalls with conditional rules of several actions (0 to
 * 18 of ~800 such calls per random profile); profiles with one action per syscall agree on all.
 */
import { hi32, levelStart, lo32, type Act, type Node } from "./tree-node.ts";

/** seccomp_data offset of the word a node compares (little endian: low half first). */
const offsetOf = (n: Node): number => 16 + 8 * n.arg + (n.hi ? 4 : 0);

function load(args: readonly (bigint | null)[], n: Node): number | null {
  const v = args[n.arg];
  if (v === null || v === undefined) return null;
  return n.hi ? hi32(v) : lo32(v);
}

function compare(n: Node, acc: number): boolean {
  switch (n.op) {
    case "EQ":
    case "MASKED_EQ":
      return acc === n.datum;
    case "GT":
      return acc > n.datum;
    case "GE":
      return acc >= n.datum;
  }
}

/** Outcome of walking a level: an action, or null for "fell through to the level's next jump". */
export type Outcome = Act | null;

/** What gen_bpf assumes the accumulator holds when it generates a node (offset -1: unknown). */
interface AccState {
  offset: number;
  mask: number;
}
const UNDEF: AccState = { offset: -1, mask: 0xffffffff };

type Step = { act: Act } | { fell: true; acc: number | null };

/**
 * The BPF's walk (`_gen_bpf_chain`, `_gen_bpf_node`): the nodes of a level in order; a true/false
 * branch goes to its sub-level, else its action, else on to the next node of the level; a
 * sub-level that falls through continues with the next node of this level. The accumulator is
 * modelled as the program has it: gen_bpf reloads an argument word (and applies the mask) only
 * when the state it assumed at generation time differs, and that assumption ignores what a
 * sub-level that fell through left in the accumulator — libseccomp 2.5.4 then compares a stale
 * word, and so does this walk. With an unknown argument word both branches are taken: the result
 * lists every possible outcome (null: fell through the whole tree, i.e. the default action).
 */
export function walk(level: Node | null, args: readonly (bigint | null)[]): Outcome[] {
  if (level === null) return [null];
  const out: Outcome[] = [];
  for (const s of walkNodes(levelStart(level), UNDEF, null, args)) out.push("act" in s ? s.act : null);
  return dedupe(out);
}

function walkNodes(
  c: Node | null,
  genIn: AccState,
  acc: number | null,
  args: readonly (bigint | null)[],
): Step[] {
  if (c === null) return [{ fell: true, acc }];
  let gen = genIn;
  let blkStart = genIn;
  let a = acc;
  const off = offsetOf(c);
  if (off !== gen.offset || (c.mask & gen.mask) >>> 0 !== c.mask) {
    gen = { offset: off, mask: 0xffffffff };
    blkStart = UNDEF;
    a = load(args, c);
  }
  if (c.mask !== gen.mask) {
    gen = { offset: gen.offset, mask: c.mask };
    if (a !== null) a = (a & c.mask) >>> 0;
  }
  const branches = a === null ? [true, false] : [compare(c, a)];
  const out: Step[] = [];
  for (const b of branches) {
    const sub = b ? c.nxtT : c.nxtF;
    const act = b ? c.actT : c.actF;
    if (sub) {
      for (const r of walkNodes(levelStart(sub), blkStart, a, args)) {
        if ("act" in r) out.push(r);
        else out.push(...walkNodes(c.lvlNxt, gen, r.acc, args));
      }
    } else if (act) out.push({ act });
    else out.push(...walkNodes(c.lvlNxt, gen, a, args));
  }
  return out;
}

function dedupe(xs: Outcome[]): Outcome[] {
  if (xs.length < 2) return xs;
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = x === null ? "-" : `${x.ret}/${x.rule}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
