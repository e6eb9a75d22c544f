/**
 * A node of libseccomp's argument decision tree (src/db.h `struct db_arg_chain_tree`) and the
 * helpers the tree (stages/seccomp/tree.ts) and its BPF walk (stages/seccomp/bpf-walk.ts) share.
 */
import type { Operator } from "../../schemas/seccomp-profile.ts";

/** An action as stored on a node: the kernel return value and the profile rule it came from. */
export interface Act {
  ret: number;
  rule: number;
}

export interface Node {
  arg: number;
  hi: boolean;
  /** the node's own comparison (NE/LT/LE rewritten) */
  op: "EQ" | "MASKED_EQ" | "GT" | "GE";
  opOrig: Operator;
  mask: number;
  datum: number;
  datumFull: bigint;
  nxtT: Node | null;
  nxtF: Node | null;
  actT: Act | null;
  actF: Act | null;
  lvlPrv: Node | null;
  lvlNxt: Node | null;
  /** libseccomp's reference count: which nodes a removal frees decides what pruning reports */
  refcnt: number;
}

/** The high 32 bits of a 64-bit value. */
export const hi32 = (v: bigint): number => Number((v >> 32n) & 0xffffffffn);
/** The low 32 bits of a 64-bit value. */
export const lo32 = (v: bigint): number => Number(v & 0xffffffffn);

/** The first node of `n`'s level. */
export function levelStart(n: Node): Node {
  let c = n;
  while (c.lvlPrv) c = c.lvlPrv;
  return c;
}
