/**
 * libseccomp 2.5.4's per-syscall argument decision tree (src/db.c). Each rule becomes a chain of
 * 32-bit comparison nodes (64-bit arguments split in hi/lo halves, `_db_rule_gen_arg_64`; 32-bit
 * arches compare the low half only); chains merge into one tree per syscall (`_db_tree_add`),
 * whose levels are ordered by argument, operator and datum (`_db_chain_lt`). The order, the merge
 * and its refusals (-EEXIST) are what decide between rules of different actions, so they are
 * ported rather than re-derived, with libseccomp's reference counts (which nodes a prune frees
 * decides what db_rule_add does next). How the generated BPF walks a tree (src/gen_bpf.c) is in
 * stages/seccomp/bpf-walk.ts; the node type in stages/seccomp/tree-node.ts.
 */
import type { Operator } from "../../schemas/seccomp-profile.ts";
import { hi32, levelStart, lo32, type Act, type Node } from "./tree-node.ts";

export type { Act, Node } from "./tree-node.ts";
export { walk, type Outcome } from "./bpf-walk.ts";

export const EEXIST = -17;

/** One API argument comparison after libseccomp's db_col_rule_add (mask/datum). */
export interface ApiArg {
  arg: number;
  op: Operator;
  mask: bigint;
  datum: bigint;
}

const U64 = (1n << 64n) - 1n;

export function apiArg(index: number, op: Operator, value: bigint, valueTwo: bigint): ApiArg {
  const v = value & U64;
  const v2 = valueTwo & U64;
  return op === "SCMP_CMP_MASKED_EQ"
    ? { arg: index, op, mask: v, datum: v2 }
    : { arg: index, op, mask: U64, datum: v };
}

function node(
  a: Partial<Node> & Pick<Node, "arg" | "hi" | "op" | "opOrig" | "mask" | "datum" | "datumFull">,
): Node {
  return {
    nxtT: null,
    nxtF: null,
    actT: null,
    actF: null,
    lvlPrv: null,
    lvlNxt: null,
    refcnt: 0,
    ...a,
    datum: (a.datum & a.mask) >>> 0,
  };
}

const SHORT: Record<Operator, string> = {
  SCMP_CMP_NE: "NE",
  SCMP_CMP_LT: "LT",
  SCMP_CMP_LE: "LE",
  SCMP_CMP_EQ: "EQ",
  SCMP_CMP_GE: "GE",
  SCMP_CMP_GT: "GT",
  SCMP_CMP_MASKED_EQ: "MASKED_EQ",
};

/** The chain for one rule (`_db_rule_gen`): null when it has no (non-trivial) comparison. */
export function genChain(args: readonly ApiArg[], bits: 32 | 64, act: Act): Node | null {
  const sorted = [...args].sort((a, b) => a.arg - b.arg);
  let head: Node | null = null;
  let prev: Node[] = [];
  let tf = false;
  const link = (n: Node): void => {
    for (const p of prev) {
      if (tf) p.nxtT = get(n);
      else p.nxtF = get(n);
    }
    head ??= get(n);
  };
  for (const a of sorted) {
    const op = SHORT[a.op];
    if (bits === 32) {
      if (op === "MASKED_EQ" && lo32(a.mask) === 0) continue;
      const rewritten = op === "NE" ? "EQ" : op === "LT" ? "GE" : op === "LE" ? "GT" : op;
      const c = node({
        arg: a.arg,
        hi: false,
        op: rewritten as Node["op"],
        opOrig: a.op,
        mask: lo32(a.mask),
        datum: lo32(a.datum),
        datumFull: a.datum,
      });
      link(c);
      prev = [c];
      tf = !(op === "NE" || op === "LT" || op === "LE");
      continue;
    }
    if (op === "MASKED_EQ" && a.mask === 0n) continue;
    if (op === "GT" || op === "GE" || op === "LT" || op === "LE") {
      const c0 = node({
        arg: a.arg,
        hi: true,
        op: "GT",
        opOrig: a.op,
        mask: hi32(a.mask),
        datum: hi32(a.datum),
        datumFull: a.datum,
      });
      const c1 = node({
        arg: a.arg,
        hi: true,
        op: "EQ",
        opOrig: a.op,
        mask: hi32(a.mask),
        datum: hi32(a.datum),
        datumFull: a.datum,
      });
      const c2 = node({
        arg: a.arg,
        hi: false,
        op: op === "GT" || op === "LE" ? "GT" : "GE",
        opOrig: a.op,
        mask: lo32(a.mask),
        datum: lo32(a.datum),
        datumFull: a.datum,
      });
      link(c0);
      c0.nxtF = get(c1);
      c1.nxtT = get(c2);
      if (op === "GT" || op === "GE") {
        prev = [c0, c2];
        tf = true;
      } else {
        prev = [c1, c2];
        tf = false;
      }
    } else {
      const nop = op === "MASKED_EQ" ? "MASKED_EQ" : "EQ";
      const c0 = node({
        arg: a.arg,
        hi: true,
        op: nop,
        opOrig: a.op,
        mask: hi32(a.mask),
        datum: hi32(a.datum),
        datumFull: a.datum,
      });
      const c1 = node({
        arg: a.arg,
        hi: false,
        op: nop,
        opOrig: a.op,
        mask: lo32(a.mask),
        datum: lo32(a.datum),
        datumFull: a.datum,
      });
      link(c0);
      c0.nxtT = get(c1);
      if (op === "NE") {
        prev = [c0, c1];
        tf = false;
      } else {
        prev = [c1];
        tf = true;
      }
    }
  }
  if (head === null) return null;
  for (const p of prev) {
    if (tf) p.actT = act;
    else p.actF = act;
  }
  return head;
}

const argPriority = (n: Node): number => (n.arg << 1) + (n.hi ? 1 : 0);

function opPriority(op: Operator): number {
  switch (op) {
    case "SCMP_CMP_MASKED_EQ":
    case "SCMP_CMP_EQ":
    case "SCMP_CMP_NE":
      return 3;
    case "SCMP_CMP_LE":
    case "SCMP_CMP_LT":
      return 2;
    case "SCMP_CMP_GE":
    case "SCMP_CMP_GT":
      return 1;
  }
}

/** `_db_chain_lt` */
function chainLt(a: Node, b: Node): boolean {
  const aa = argPriority(a);
  const ba = argPriority(b);
  if (aa !== ba) return aa < ba;
  const ao = opPriority(a.opOrig);
  const bo = opPriority(b.opOrig);
  if (ao !== bo) return ao < bo;
  if (a.opOrig === "SCMP_CMP_LE" || a.opOrig === "SCMP_CMP_LT") return a.datum > b.datum;
  return a.datum < b.datum;
}

/** `_db_chain_eq` */
function chainEq(a: Node, b: Node): boolean {
  return argPriority(a) === argPriority(b) && a.op === b.op && a.datum === b.datum && a.mask === b.mask;
}

const isLeaf = (n: Node): boolean => n.nxtT === null && n.nxtF === null;

/** `_db_tree_act_check`: every action in the (sub)tree equals `ret`. */
function actCheck(tree: Node | null, ret: number): boolean {
  if (tree === null) return true;
  for (let c: Node | null = levelStart(tree); c; c = c.lvlNxt) {
    if (c.actT && c.actT.ret !== ret) return false;
    if (c.actF && c.actF.ret !== ret) return false;
    if (!actCheck(c.nxtT, ret) || !actCheck(c.nxtF, ret)) return false;
  }
  return true;
}

export interface Slot {
  get(): Node | null;
  set(n: Node | null): void;
}

export function fieldSlot<K extends "nxtT" | "nxtF" | "lvlPrv" | "lvlNxt">(owner: Node, k: K): Slot {
  return { get: () => owner[k], set: (n) => (owner[k] = n) };
}

export function localSlot(init: Node | null): Slot & { v: Node | null } {
  const s = { v: init, get: () => s.v, set: (n: Node | null) => (s.v = n) };
  return s;
}

/** `_db_node_get` */
function get(n: Node): Node;
function get(n: Node | null): Node | null;
function get(n: Node | null): Node | null {
  if (n) n.refcnt++;
  return n;
}

/** `_db_node_put`: drops a reference; at zero the node leaves its level and its sub-trees go. */
function put(ref: Slot): number {
  const n = ref.get();
  if (n === null) return 0;
  let cnt = 0;
  if (--n.refcnt === 0) {
    const p = localSlot(n.lvlPrv);
    const q = localSlot(n.lvlNxt);
    const t = localSlot(n.nxtT);
    const f = localSlot(n.nxtF);
    if (p.v) p.v.lvlNxt = null;
    if (q.v) q.v.lvlPrv = null;
    if (p.v) cnt += put(p);
    if (q.v) cnt += put(q);
    if (p.v) p.v.lvlNxt = get(q.v);
    if (q.v) q.v.lvlPrv = get(p.v);
    ref.set(p.v ?? q.v ?? null);
    cnt += treePut(t);
    cnt += treePut(f);
    cnt++;
  }
  return cnt;
}

/** `_db_level_clean` */
function levelClean(node: Node): number {
  let cnt = 0;
  const start = levelStart(node);
  for (let n: Node | null = start; n; n = n.lvlNxt) {
    const links = (n.lvlPrv ? 1 : 0) + (n.lvlNxt ? 1 : 0);
    if (n.refcnt > links) return cnt;
  }
  const it = localSlot(start);
  while (it.v !== null) cnt += put(it);
  return cnt;
}

/** `_db_tree_put` */
export function treePut(ref: Slot): number {
  let cnt = put(ref);
  const n = ref.get();
  if (n) cnt += levelClean(n);
  return cnt;
}

const isZombie = (n: Node): boolean => isLeaf(n) && !n.actT && !n.actF;

/** `_db_tree_remove`: removes `node` (and its sub-trees) wherever it is in the tree, and zombies. */
function treeRemove(tree: Slot, node: Node): number {
  const head = tree.get();
  if (head === null) return 0;
  let cnt = 0;
  let c: Node | null = levelStart(head);
  let target: Node | null = null;
  do {
    if (c === node) {
      target = c;
      break;
    }
    cnt += treeRemove(fieldSlot(c!, "nxtT"), node);
    cnt += treeRemove(fieldSlot(c!, "nxtF"), node);
    if (isZombie(c!)) {
      target = c;
      break;
    }
    c = c!.lvlNxt;
  } while (c !== null && cnt === 0);
  if (target === null) return cnt;
  if (target === tree.get()) tree.set(target.lvlPrv ?? target.lvlNxt);
  if (target.lvlPrv) target.lvlPrv.lvlNxt = target.lvlNxt;
  if (target.lvlNxt) target.lvlNxt.lvlPrv = target.lvlPrv;
  target.lvlPrv = null;
  target.lvlNxt = null;
  cnt += put(localSlot(target));
  return cnt;
}

/** `struct db_iter_state` flags */
const IST = {
  MATCH: 0x1,
  MATCH_ONCE: 0x2,
  X_FINISHED: 0x10,
  N_FINISHED: 0x20,
  X_PREFIX: 0x100,
  N_PREFIX: 0x200,
} as const;
const M_MATCHSET = IST.MATCH | IST.MATCH_ONCE;
export const M_REDUNDANT = IST.MATCH | IST.X_FINISHED | IST.N_PREFIX;

export interface PruneState {
  flags: number;
  ret: number;
  /** the syscall entry's tree (state->sx->chains) */
  chains: Slot;
}

/**
 * `_db_tree_prune`: before a new chain is merged, removes existing sub-trees the new, shorter
 * chain with the same action covers, and tells (M_REDUNDANT) when an existing shorter chain
 * covers the new one. Returns how many nodes it freed.
 */
export function treePrune(existing: Slot, n: Node | null, state: PruneState): number {
  let cnt = 0;
  const stNew = { ...state };
  let x = existing.get();
  const done = (): number => {
    if (stNew.flags & IST.MATCH) state.flags |= stNew.flags;
    else state.flags &= ~IST.MATCH;
    return cnt;
  };
  if (n === null || x === null) return done();
  if ((state.flags & M_MATCHSET) === IST.MATCH_ONCE) return done();
  x = levelStart(x);
  // a sub-call may free x: it is then unlinked and its count is zero
  const gone = (node: Node): boolean => node.refcnt === 0;
  do {
    const xNext: Node | null = x.lvlNxt;
    let skip = false;
    if (chainEq(x, n)) {
      stNew.flags |= M_MATCHSET;
      if (isLeaf(n)) stNew.flags |= IST.N_FINISHED;
      if (isLeaf(x)) stNew.flags |= IST.X_FINISHED;
      if ((x.actT || x.nxtT) && !(n.actT || n.nxtT)) return done();
      if ((x.actF || x.nxtF) && !(n.actF || n.nxtF)) return done();
      if (stNew.flags & IST.N_FINISHED && stNew.flags & IST.X_FINISHED) {
        if (!!n.actT !== !!x.actT || (n.actT?.ret ?? 0) !== (x.actT?.ret ?? 0)) return done();
        if (!!n.actF !== !!x.actF || (n.actF?.ret ?? 0) !== (x.actF?.ret ?? 0)) return done();
      }
      for (const k of ["nxtT", "nxtF"] as const) {
        if (skip || !n[k]) continue;
        get(x);
        const stNxt = { ...state, flags: state.flags | M_MATCHSET };
        cnt += treePrune(fieldSlot(x, k), n[k], stNxt);
        const xs = localSlot(x);
        cnt += put(xs);
        if (stNxt.flags & IST.MATCH) stNew.flags |= stNxt.flags;
        if (xs.v === null || gone(x)) skip = true;
      }
      if (!skip) {
        if (
          actCheck(x, stNew.ret) &&
          stNew.flags & IST.MATCH &&
          stNew.flags & IST.N_FINISHED &&
          stNew.flags & IST.X_PREFIX
        ) {
          cnt += treeRemove(state.chains, x);
          if (state.chains.get() === null) return done();
        } else if (
          actCheck(x, stNew.ret) &&
          stNew.flags & IST.MATCH &&
          stNew.flags & IST.X_FINISHED &&
          stNew.flags & IST.N_PREFIX
        ) {
          return done();
        }
      }
    } else if (chainLt(x, n)) {
      if (state.flags & IST.N_PREFIX) return done();
      for (const k of ["nxtT", "nxtF"] as const) {
        if (skip || !x[k]) continue;
        get(x);
        const stNxt = { ...state, flags: (state.flags & ~IST.MATCH) | IST.X_PREFIX };
        cnt += treePrune(fieldSlot(x, k), n, stNxt);
        const xs = localSlot(x);
        cnt += put(xs);
        if (stNxt.flags & IST.MATCH) {
          stNew.flags |= stNxt.flags;
          return done();
        }
        if (xs.v === null || gone(x)) skip = true;
      }
    } else {
      if (state.flags & IST.X_PREFIX) return done();
      for (const k of ["nxtT", "nxtF"] as const) {
        if (skip || !n[k]) continue;
        get(x);
        const stNxt = { ...state, flags: (state.flags & ~IST.MATCH) | IST.N_PREFIX };
        const xs = localSlot(x);
        cnt += treePrune(xs, n[k], stNxt);
        cnt += put(xs);
        if (stNxt.flags & IST.MATCH) {
          stNew.flags |= stNxt.flags;
          return done();
        }
        if (xs.v === null || gone(x)) skip = true;
      }
    }
    x = xNext;
  } while (x);
  stNew.flags &= ~IST.MATCH;
  return done();
}

/** `_db_tree_add`: merge the chain `n` into the tree in `slot`; 0 or EEXIST. */
export function treeAdd(slot: Slot, n: Node): number {
  let x = slot.get();
  while (x) {
    if (chainEq(x, n)) {
      if (n.actT) {
        if (!x.actT) {
          if (!actCheck(x.nxtT, n.actT.ret)) return EEXIST;
          put(fieldSlot(x, "nxtT"));
          x.nxtT = null;
          x.actT = n.actT;
        } else if (n.actT.ret !== x.actT.ret) {
          // 64-bit GT/GE: the larger datum's action wins, then libseccomp still refuses leaves
          if (n.hi && n.datumFull > x.datumFull) x.actT = n.actT;
          if (isLeaf(x) || isLeaf(n)) return EEXIST;
        }
      }
      if (n.actF) {
        if (!x.actF) {
          if (!actCheck(x.nxtF, n.actF.ret)) return EEXIST;
          put(fieldSlot(x, "nxtF"));
          x.nxtF = null;
          x.actF = n.actF;
        } else if (n.actF.ret !== x.actF.ret) {
          // sic: libseccomp updates act_t here
          if (n.hi && n.datumFull < x.datumFull) x.actT = n.actT;
          if (isLeaf(x) || isLeaf(n)) return EEXIST;
        }
      }
      if (n.nxtT) {
        if (x.nxtT) {
          const rc = treeAdd(fieldSlot(x, "nxtT"), n.nxtT);
          if (rc !== 0) return rc;
        } else if (!x.actT) x.nxtT = get(n.nxtT);
        else return 0;
      }
      if (n.nxtF) {
        if (x.nxtF) {
          const rc = treeAdd(fieldSlot(x, "nxtF"), n.nxtF);
          if (rc !== 0) return rc;
        } else if (!x.actF) x.nxtF = get(n.nxtF);
        else return 0;
      }
      return 0;
    } else if (!chainLt(x, n)) {
      if (x.lvlNxt === null) {
        n.lvlPrv = get(x);
        x.lvlNxt = get(n);
        return 0;
      }
      x = x.lvlNxt;
    } else {
      if (x.lvlPrv !== null) {
        x.lvlPrv.lvlNxt = get(n);
        n.lvlPrv = x.lvlPrv;
        x.lvlPrv = get(n);
        n.lvlNxt = x;
      } else {
        x.lvlPrv = get(n);
        n.lvlNxt = get(x);
      }
      if (slot.get() === x) {
        slot.set(get(n));
        put(localSlot(x));
      }
      return 0;
    }
  }
  return 0;
}

/** Deep copy of a tree (shared sub-trees stay shared), for libseccomp's transaction rollback. */
export function cloneTree(root: Node | null, seen = new Map<Node, Node>()): Node | null {
  if (root === null) return null;
  const start = levelStart(root);
  const copyLevel = (first: Node): void => {
    let prev: Node | null = null;
    for (let c: Node | null = first; c; c = c.lvlNxt) {
      const k: Node = { ...c, lvlPrv: prev, lvlNxt: null, nxtT: null, nxtF: null };
      seen.set(c, k);
      if (prev) prev.lvlNxt = k;
      prev = k;
    }
    for (let c: Node | null = first; c; c = c.lvlNxt) {
      const k = seen.get(c)!;
      k.nxtT = c.nxtT ? (seen.get(c.nxtT) ?? cloneTree(c.nxtT, seen)) : null;
      k.nxtF = c.nxtF ? (seen.get(c.nxtF) ?? cloneTree(c.nxtF, seen)) : null;
    }
  };
  if (!seen.has(start)) copyLevel(start);
  return seen.get(root)!;
}
