/**
 * A profile as runc 1.1.5 hands it to libseccomp 2.5.4 on a given host: Docker's expansion, then
 * runc's `matchCall` for each name (rules equal to the default action skipped, names the native
 * libseccomp does not know skipped, a rule with two conditions on one argument split into one rule
 * per condition), libseccomp's per-arch translation (x86 socketcall/ipc multiplexing, pseudo
 * syscalls kept as numbers), its per-syscall trees (tree.ts) with the transaction rollback when
 * an arch refuses a rule, and runc's ENOSYS stub (patchbpf/enosys_linux.go).
 */
import { LIBSECCOMP_SYSCALLS, LIBSECCOMP_X86_DIRECT } from "../../schemas/generated/libseccomp-syscalls.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { RET_ENOSYS, encodeAction, isAllowLike, RET } from "./actions.ts";
import { expandProfile, type ExpandedRule } from "./expand.ts";
import {
  ARCH_BITS,
  AUDIT_ARCH,
  NATIVE_SCMP,
  scmpArchOfToken,
  type ScmpArchName,
  type Target,
} from "./target.ts";
import {
  M_REDUNDANT,
  apiArg,
  cloneTree,
  genChain,
  localSlot,
  treeAdd,
  treePrune,
  treePut,
  type Act,
  type ApiArg,
  type Node,
  type Slot,
} from "./tree.ts";

/** One syscall entry of an arch's filter: a syscall-wide action or an argument tree. */
export interface SysEntry {
  chains: Node | null;
  act: Act | null;
}

export interface ArchDb {
  arch: ScmpArchName;
  entries: Map<number, SysEntry>;
}

/** One `if ($arch == …)` block of the BPF; x86_64 and x32 share one (libseccomp merges them). */
export interface Section {
  audit: number;
  dbs: ArchDb[];
}

export interface NameIssue {
  name: string;
  rule: number;
}

export interface Refusal extends NameIssue {
  arch: ScmpArchName;
  /** libseccomp's errno: -17 (EEXIST, conflicting actions on one argument chain), -22 (EINVAL) */
  code: number;
  message: string;
}

/** runc's stub: per AUDIT_ARCH, the largest syscall number of each libseccomp arch listed. */
export type Stub = Map<number, Partial<Record<ScmpArchName, number>>>;

export interface CompiledFilter {
  target: Target;
  native: ScmpArchName;
  defaultRet: number;
  badArchRet: number;
  /** the profile's architectures after archMap (runc's config.Architectures) */
  architectures: string[];
  sections: Section[];
  stub: Stub | null;
  rules: ExpandedRule[];
  unknownNames: NameIssue[];
  defaultEqual: NameIssue[];
  /** rules libseccomp refuses: runc fails to start the container */
  refused: Refusal[];
  /** profile content runc rejects or sandmine cannot model (unknown arch tokens, flags) */
  errors: string[];
}

const MUX_SOCKETCALL = 102;
const MUX_IPC = 117;

function toBig(v: number | bigint | undefined): bigint {
  if (v === undefined) return 0n;
  return typeof v === "bigint" ? v : BigInt(v);
}

/** libseccomp's per-arch rules for one API rule (arch_filter_rule_add / x86_rule_add). */
function archRules(
  arch: ScmpArchName,
  name: string,
  args: readonly ApiArg[],
): { nr: number; args: ApiArg[] }[] {
  const nr = LIBSECCOMP_SYSCALLS[arch][name];
  if (nr === undefined) return [];
  if (arch === "x86" && ((nr <= -101 && nr >= -120) || (nr <= -201 && nr >= -224))) {
    const mux = nr > -200 ? MUX_SOCKETCALL : MUX_IPC;
    const sub = BigInt(-nr % 100);
    const muxArgs = [...args.filter((a) => a.arg !== 0), apiArg(0, "SCMP_CMP_EQ", sub, 0n)];
    const direct = LIBSECCOMP_X86_DIRECT[name];
    const out = [{ nr: mux, args: muxArgs }];
    if (direct !== undefined) out.push({ nr: direct, args: [...args] });
    return out;
  }
  // pseudo syscalls (the name does not exist on this arch): libseccomp keeps them in its
  // database but generates no BPF for them
  if (nr < 0) return [];
  return [{ nr: nr >>> 0, args: [...args] }];
}

/** `db_rule_add`: a syscall-wide rule wins over (and replaces) argument trees; else prune, merge. */
function dbRuleAdd(db: ArchDb, nr: number, chain: Node | null, act: Act): number {
  const e = db.entries.get(nr);
  if (!e) {
    db.entries.set(nr, { chains: chain, act: chain ? null : act });
    return 0;
  }
  const slot: Slot = { get: () => e.chains, set: (n) => (e.chains = n) };
  let removed = false;
  for (;;) {
    if (e.chains === null) {
      if (removed) {
        // the new chain pruned the whole tree: it takes its place
        e.chains = chain;
        e.act = chain ? null : act;
      } else if (chain) treePut(localSlot(chain)); // a syscall-wide rule is there: it wins
      return 0;
    }
    if (chain === null) {
      treePut(slot);
      e.chains = null;
      e.act = act;
      return 0;
    }
    const state = { flags: 0, ret: act.ret, chains: slot };
    const freed = treePrune(slot, chain, state);
    if (freed > 0) {
      removed = true;
      if (e.chains === null) continue;
    } else if ((state.flags & M_REDUNDANT) === M_REDUNDANT) {
      treePut(localSlot(chain)); // an existing shorter chain covers the new one
      return 0;
    }
    const rc = treeAdd(slot, chain);
    if (rc !== 0) return rc;
    treePut(localSlot(chain));
    return 0;
  }
}

function snapshot(dbs: readonly ArchDb[]): Map<ArchDb, Map<number, SysEntry>> {
  const m = new Map<ArchDb, Map<number, SysEntry>>();
  for (const db of dbs) {
    const copy = new Map<number, SysEntry>();
    for (const [nr, e] of db.entries) copy.set(nr, { chains: cloneTree(e.chains), act: e.act });
    m.set(db, copy);
  }
  return m;
}

export function compileProfile(p: DockerProfile, t: Target): CompiledFilter {
  const native = NATIVE_SCMP[t.arch];
  const { architectures, rules } = expandProfile(p, t);
  const defaultRet = encodeAction(p.defaultAction, p.defaultErrnoRet);
  const errors: string[] = [];
  if (p.flags && p.flags.length > 0)
    errors.push(`flags ${p.flags.join(", ")}: runc 1.1.5 refuses seccomp flags`);

  // filters in libseccomp's order: the native arch first, then runc's AddArch calls
  const dbs: ArchDb[] = [{ arch: native, entries: new Map() }];
  for (const tok of architectures) {
    const a = scmpArchOfToken(tok);
    if (a === undefined) {
      errors.push(`architecture ${tok}: not modelled (its rules are not evaluated)`);
      continue;
    }
    if (!dbs.some((d) => d.arch === a)) dbs.push({ arch: a, entries: new Map() });
  }

  const unknownNames: NameIssue[] = [];
  const defaultEqual: NameIssue[] = [];
  const refused: Refusal[] = [];
  for (const { index, rule, names } of rules) {
    const ret = encodeAction(rule.action, rule.errnoRet);
    const act: Act = { ret, rule: index };
    const conds = (rule.args ?? []).map((a) => apiArg(a.index, a.op, toBig(a.value), toBig(a.valueTwo)));
    const counts = new Map<number, number>();
    for (const c of conds) counts.set(c.arg, (counts.get(c.arg) ?? 0) + 1);
    const split = [...counts.values()].some((n) => n > 1);
    const groups: ApiArg[][] = conds.length === 0 ? [[]] : split ? conds.map((c) => [c]) : [conds];
    for (const name of names) {
      if (ret === defaultRet) {
        defaultEqual.push({ name, rule: index });
        continue;
      }
      if (LIBSECCOMP_SYSCALLS[native][name] === undefined) {
        unknownNames.push({ name, rule: index });
        continue;
      }
      for (const g of groups) {
        const bad = g.find((c) => c.arg < 0 || c.arg > 5);
        if (bad) {
          refused.push({
            name,
            rule: index,
            arch: native,
            code: -22,
            message: `argument index ${bad.arg} out of range`,
          });
          continue;
        }
        const before = snapshot(dbs);
        for (const db of dbs) {
          let rc = 0;
          for (const r of archRules(db.arch, name, g)) {
            rc = dbRuleAdd(db, r.nr, genChain(r.args, ARCH_BITS[db.arch], act), act);
            if (rc !== 0) break;
          }
          if (rc !== 0) {
            refused.push({
              name,
              rule: index,
              arch: db.arch,
              code: rc,
              message:
                "libseccomp refuses it: an existing rule has another action on the same argument comparisons",
            });
            for (const d of dbs) d.entries = before.get(d)!;
            break;
          }
        }
      }
    }
  }

  // BPF sections: x86_64 and x32 merged at the place of the first of them
  const sections: Section[] = [];
  for (const db of dbs) {
    const audit = AUDIT_ARCH[db.arch];
    const merged = sections.find((s) => s.audit === audit);
    if (merged) merged.dbs.push(db);
    else sections.push({ audit, dbs: [db] });
  }

  return {
    target: t,
    native,
    defaultRet,
    badArchRet: RET.KILL_THREAD,
    architectures,
    sections,
    stub: stubOf(p, t, architectures, rules),
    rules,
    unknownNames,
    defaultEqual,
    refused,
    errors,
  };
}

/** runc's generatePatch/findLastSyscalls: over every name of config.Syscalls, per listed arch. */
function stubOf(
  p: DockerProfile,
  t: Target,
  architectures: readonly string[],
  rules: readonly ExpandedRule[],
): Stub | null {
  if (t.runcEnosysStub === false) return null;
  if (isAllowLike(p.defaultAction)) return null;
  // sic: runc compares the errno with the whole SCMP_ACT_ERRNO(ENOSYS) value
  if (p.defaultErrnoRet === RET_ENOSYS) return null;
  const stub: Stub = new Map();
  for (const tok of architectures) {
    const a = scmpArchOfToken(tok);
    if (a === undefined) continue;
    let largest = 0;
    for (const r of rules)
      for (const name of r.names) {
        const nr = LIBSECCOMP_SYSCALLS[a][name];
        if (nr !== undefined && nr > largest) largest = nr;
      }
    if (largest === 0) continue;
    const audit = AUDIT_ARCH[a];
    const e = stub.get(audit) ?? {};
    e[a] = largest;
    stub.set(audit, e);
  }
  return stub;
}
