/**
 * The verdict the kernel gives one syscall under a compiled profile: runc's ENOSYS stub, then
 * libseccomp's BPF — the architecture check (bad arch: SCMP_ACT_KILL_THREAD, libseccomp's default;
 * runc does not set SCMP_FLTATR_ACT_BADARCH), x86_64's x32 check, the syscall's entry and its
 * argument tree, else the default action.
 */
import type { Action } from "../../schemas/seccomp-profile.ts";
import { RET_ENOSYS, decodeAction, permissiveness } from "./actions.ts";
import type { CompiledFilter, Section } from "./compile.ts";
import { AUDIT_ARCH, X32_SYSCALL_BIT, scmpArchOfName, type TargetArch } from "./target.ts";
import { walk, type Act } from "./tree.ts";

export interface Verdict {
  action: Action;
  errno?: number;
  /** index into the profile's syscalls; -1: the default, bad-arch or stub action */
  rule: number;
  /** the verdict depends on an argument whose value is unknown: the most permissive outcome */
  undetermined?: boolean;
  /** where the verdict came from */
  source?: "stub" | "badarch" | "default" | "rule";
  /** the kernel return value (SECCOMP_RET_* | data) */
  ret?: number;
}

const U64 = (1n << 64n) - 1n;

function verdict(ret: number, rule: number, source: Verdict["source"], undetermined = false): Verdict {
  const d = decodeAction(ret);
  const v: Verdict = { action: d.action, rule, source, ret: ret >>> 0 };
  if (d.errno !== undefined) v.errno = d.errno;
  if (undetermined) v.undetermined = true;
  return v;
}

function stubVerdict(f: CompiledFilter, audit: number, nr: number): Verdict | null {
  const s = f.stub?.get(audit);
  if (!s) return null;
  const enosys = verdict(RET_ENOSYS, -1, "stub");
  if (audit === AUDIT_ARCH.x86_64) {
    const x32 = (nr & X32_SYSCALL_BIT) !== 0;
    if (s.x86_64 !== undefined && s.x32 !== undefined) {
      const max = x32 ? s.x32 : s.x86_64;
      return nr > max >>> 0 ? enosys : null;
    }
    if (s.x86_64 !== undefined) return !x32 && nr > s.x86_64 ? enosys : null;
    if (s.x32 !== undefined) return x32 && nr > s.x32 >>> 0 ? enosys : null;
    return null;
  }
  const max = Object.values(s)[0];
  return max !== undefined && nr > max >>> 0 ? enosys : null;
}

function sectionVerdict(
  f: CompiledFilter,
  sec: Section,
  nr: number,
  args: readonly (bigint | null)[],
): Verdict {
  const arches = sec.dbs.map((d) => d.arch);
  if (arches.length === 1 && arches[0] === "x86_64" && nr >= X32_SYSCALL_BIT && nr !== 0xffffffff)
    return verdict(f.badArchRet, -1, "badarch");
  if (arches.length === 1 && arches[0] === "x32" && nr < X32_SYSCALL_BIT)
    return verdict(f.badArchRet, -1, "badarch");
  const entry = sec.dbs.map((d) => d.entries.get(nr)).find((e) => e !== undefined);
  if (!entry) return verdict(f.defaultRet, -1, "default");
  if (entry.chains === null) return verdict(entry.act!.ret, entry.act!.rule, "rule");
  const outcomes = walk(entry.chains, args);
  let best: Act | null = null;
  let bestIsDefault = false;
  const distinct = new Set<number>();
  for (const o of outcomes) {
    const ret = o === null ? f.defaultRet : o.ret;
    distinct.add(ret >>> 0);
    const cur = best === null && !bestIsDefault ? null : bestIsDefault ? f.defaultRet : best!.ret;
    if (cur === null || permissiveness(ret) > permissiveness(cur)) {
      best = o;
      bestIsDefault = o === null;
    }
  }
  const undetermined = distinct.size > 1;
  if (bestIsDefault || best === null) return verdict(f.defaultRet, -1, "default", undetermined);
  return verdict(best.ret, best.rule, "rule", undetermined);
}

/**
 * `arch`: x86_64, i386 (or x86), x32, aarch64, arm, or a SCMP_ARCH_* token; anything else is an
 * architecture the filter does not list. `nr` as the kernel sees it (x32: with bit 30; x32 is
 * x86_64's AUDIT_ARCH, so "x32" and "x86_64" name the same check).
 * `args`: the six registers (any sign, taken as u64); null or missing = not recorded.
 */
export function evaluate(
  f: CompiledFilter,
  arch: TargetArch | string,
  nr: number,
  args: readonly (bigint | null)[],
): Verdict {
  const sa = scmpArchOfName(arch);
  const n = nr >>> 0;
  const regs: (bigint | null)[] = [];
  for (let i = 0; i < 6; i++) {
    const v = args[i];
    regs.push(v === null || v === undefined ? null : v & U64);
  }
  if (sa === undefined) return verdict(f.badArchRet, -1, "badarch");
  const audit = AUDIT_ARCH[sa];
  const stub = stubVerdict(f, audit, n);
  if (stub) return stub;
  const sec = f.sections.find((s) => s.audit === audit);
  if (!sec) return verdict(f.badArchRet, -1, "badarch");
  return sectionVerdict(f, sec, n, regs);
}
