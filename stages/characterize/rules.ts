/**
 * The paper's rule counts (Wan et al. 2019, Sec. 4.4 and 5.2): every observed type is a rule; the
 * 20 most invoked types get argument models. A type with a path model becomes one
 * SCMP_ACT_TRACE rule (its paths are checked by the tracer); a type with only discrete models
 * becomes one SCMP_ACT_ALLOW rule per observed tuple of modelled values (libseccomp compares each
 * argument once per rule, so alternatives are separate rules); every other type one name-only rule.
 */

/** Calls of one syscall type in the phases a profile governs. */
export interface TypeCalls {
  syscall: string;
  calls: number;
}

/** Paper models of one top type: distinct discrete tuples, and whether it has a path model. */
export interface PaperTuples {
  syscall: string;
  tuples: number;
  has_path: boolean;
}

/** The counts, with the top types and their share of invocations. */
export interface RuleCounts {
  type_rules: number;
  type_arg_rules: number;
  top: string[];
  top_share: number;
}

/** Counts rules from the types (any order) and the paper tuples of each type. */
export function paperRuleCounts(
  types: readonly TypeCalls[],
  tuples: readonly PaperTuples[],
  topN = 20,
): RuleCounts {
  const sorted = [...types].sort((a, b) => b.calls - a.calls || (a.syscall < b.syscall ? -1 : 1));
  const top = sorted.slice(0, topN).map((t) => t.syscall);
  const total = sorted.reduce((n, t) => n + t.calls, 0);
  const topCalls = sorted.slice(0, topN).reduce((n, t) => n + t.calls, 0);
  const bySyscall = new Map(tuples.map((t) => [t.syscall, t]));
  let typeArg = sorted.length - top.length;
  for (const s of top) {
    const t = bySyscall.get(s);
    typeArg += !t || t.has_path ? 1 : Math.max(t.tuples, 1);
  }
  return {
    type_rules: sorted.length,
    type_arg_rules: typeArg,
    top,
    top_share: total === 0 ? 0 : topCalls / total,
  };
}
