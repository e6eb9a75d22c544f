/**
 * Static checks of a profile for a target host, run by `synthesize` and `check`: what runc and
 * libseccomp would do differently from what the profile says (unknown names, default-equal rules,
 * refused rules, shadowed or split conditions, masked values), size against the 4096-instruction
 * limit, values the SPO CRD cannot hold, and dangerous syscalls allowed.
 */
import { DANGEROUS_SYSCALLS, CVE_SOURCE } from "../../schemas/dangerous-syscalls.ts";
import { LIBSECCOMP_SYSCALLS } from "../../schemas/generated/libseccomp-syscalls.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { isAllowLike } from "./actions.ts";
import { compileProfile, type CompiledFilter } from "./compile.ts";
import { evaluate } from "./evaluate.ts";
import { BPF_MAX_INSNS, estimateSize } from "./size.ts";
import type { Target } from "./target.ts";

export interface Lint {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  rule?: number;
  names?: string[];
}

const INT64_MAX = (1n << 63n) - 1n;
const big = (v: number | bigint | undefined): bigint =>
  v === undefined ? 0n : typeof v === "bigint" ? v : BigInt(v);
const actKey = (action: string, errno?: number): string =>
  action === "SCMP_ACT_ERRNO" || action === "SCMP_ACT_TRACE" ? `${action}(${errno ?? 1})` : action;

function byRule(issues: readonly { name: string; rule: number }[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const i of issues) m.set(i.rule, [...(m.get(i.rule) ?? []), i.name]);
  return m;
}

/** Names a profile allows on the target's native arch: unconditionally, or for some arguments. */
export function allowedNames(f: CompiledFilter): { always: string[]; conditional: string[] } {
  const always: string[] = [];
  const conditional: string[] = [];
  const table = LIBSECCOMP_SYSCALLS[f.native];
  for (const name of Object.keys(table).sort()) {
    const nr = table[name]!;
    if (nr < 0) continue;
    const v = evaluate(f, f.native, nr, [null, null, null, null, null, null]);
    if (!isAllowLike(v.action) || v.action === "SCMP_ACT_TRACE") continue;
    (v.undetermined ? conditional : always).push(name);
  }
  return { always, conditional };
}

export function lintProfile(
  p: DockerProfile,
  t: Target,
  opts?: { knownNames?: ReadonlySet<string> },
): Lint[] {
  const f = compileProfile(p, t);
  const out: Lint[] = [];
  const known = opts?.knownNames ?? new Set(Object.keys(LIBSECCOMP_SYSCALLS[f.native]));

  for (const e of f.errors) out.push({ code: "runtime-refuses", severity: "error", message: e });

  // names the target libseccomp does not know: runc skips them silently
  const unknown = new Map<number, string[]>();
  for (const { index, names } of f.rules)
    for (const n of names) if (!known.has(n)) unknown.set(index, [...(unknown.get(index) ?? []), n]);
  for (const [rule, names] of unknown) {
    const allows = isAllowLike(p.syscalls[rule]!.action);
    out.push({
      code: "unknown-name",
      severity: allows ? "error" : "warning",
      rule,
      names,
      message:
        `rule ${rule}: ${names.join(", ")} unknown to the target's libseccomp (2.5.4): runc ignores ` +
        (allows ? "the name, so the syscall stays denied" : "the name, so the default action applies"),
    });
  }

  for (const [rule, names] of byRule(f.defaultEqual))
    out.push({
      code: "default-equal",
      severity: "error",
      rule,
      names,
      message: `rule ${rule} (${names.join(", ")}) has the default action ${actKey(p.defaultAction, p.defaultErrnoRet)}: runc and crun drop it, libseccomp refuses it; give deliberate denies a distinct errno`,
    });

  for (const r of f.refused)
    out.push({
      code: "refused-rule",
      severity: "error",
      rule: r.rule,
      names: [r.name],
      message: `rule ${r.rule} (${r.name}, ${r.arch}): ${r.message} — runc fails to start the container`,
    });

  shadowLints(p, f, out);
  argLints(f, out);

  for (const [audit, maxes] of f.stub ?? []) {
    void audit;
    for (const [arch, max] of Object.entries(maxes)) {
      const table = LIBSECCOMP_SYSCALLS[arch as keyof typeof LIBSECCOMP_SYSCALLS];
      const top = Object.entries(table).find(([, nr]) => nr === max)?.[0] ?? String(max);
      out.push({
        code: "enosys-stub",
        severity: "info",
        names: [top],
        message: `runc answers ENOSYS to every ${arch} syscall numbered above ${max & 0x3fffffff} (${top}, the highest in the profile); lower unlisted ones get the default action`,
      });
    }
  }

  const size = estimateSize(f);
  out.push({
    code: "filter-size",
    severity: size.total > BPF_MAX_INSNS ? "error" : size.total > BPF_MAX_INSNS * 0.75 ? "warning" : "info",
    message: `about ${size.total} classic-BPF instructions (${size.filter} libseccomp, ${size.stub} runc stub) of the kernel's ${BPF_MAX_INSNS}`,
  });

  const { always, conditional } = allowedNames(f);
  const allowed = new Set([...always, ...conditional]);
  for (const d of DANGEROUS_SYSCALLS) {
    if (!allowed.has(d.name)) continue;
    const how = always.includes(d.name) ? "allowed" : "allowed for some arguments";
    out.push({
      code: "dangerous-syscall",
      severity: d.severity,
      names: [d.name],
      message: `${d.name} ${how}; used by ${d.cves.map((c) => `${c.id} (${c.what}; ${CVE_SOURCE(c.id)})`).join(", ")}`,
    });
  }
  return out;
}

/** Unconditional rules make later rules for the same name moot; conditions of several actions. */
function shadowLints(p: DockerProfile, f: CompiledFilter, out: Lint[]): void {
  const dropped = new Set(f.defaultEqual.map((d) => `${d.rule}/${d.name}`));
  const uncond = new Map<string, number>();
  const condActs = new Map<string, Set<string>>();
  for (const { index, rule, names } of f.rules) {
    const key = actKey(rule.action, rule.errnoRet);
    for (const n of names) {
      if (dropped.has(`${index}/${n}`)) continue;
      const first = uncond.get(n);
      if (!rule.args?.length) {
        if (first === undefined) uncond.set(n, index);
        else if (actKey(p.syscalls[first]!.action, p.syscalls[first]!.errnoRet) !== key)
          out.push({
            code: "shadowed-rule",
            severity: "warning",
            rule: index,
            names: [n],
            message: `rule ${index}: ${n} ${key} never applies: rule ${first} already gives it ${actKey(p.syscalls[first]!.action, p.syscalls[first]!.errnoRet)} unconditionally (libseccomp keeps the first)`,
          });
        continue;
      }
      condActs.set(n, (condActs.get(n) ?? new Set()).add(key));
    }
  }
  for (const { index, rule, names } of f.rules) {
    if (!rule.args?.length) continue;
    for (const n of names) {
      const u = uncond.get(n);
      if (u === undefined || dropped.has(`${index}/${n}`)) continue;
      const ua = actKey(p.syscalls[u]!.action, p.syscalls[u]!.errnoRet);
      const same = ua === actKey(rule.action, rule.errnoRet);
      out.push({
        code: "shadowed-conditional",
        severity: same ? "info" : "warning",
        rule: index,
        names: [n],
        message: same
          ? `rule ${index}: the conditions on ${n} are moot: rule ${u} allows it as ${ua} unconditionally`
          : `rule ${index}: ${n} ${actKey(rule.action, rule.errnoRet)} under conditions never applies: rule ${u} gives ${ua} unconditionally (libseccomp drops conditional rules then)`,
      });
    }
  }
  for (const [n, acts] of condActs) {
    if (acts.size < 2 || uncond.has(n)) continue;
    out.push({
      code: "mixed-conditional-actions",
      severity: "warning",
      names: [n],
      message: `${n} has conditional rules with ${[...acts].join(", ")}: which wins depends on libseccomp's tree order (it refuses some combinations and miscompiles others); sandmine's evaluator matches libseccomp on ~99% of such calls`,
    });
  }
}

function argLints(f: CompiledFilter, out: Lint[]): void {
  for (const { index, rule, names } of f.rules) {
    const args = rule.args ?? [];
    const idx = args.map((a) => a.index);
    if (new Set(idx).size < idx.length)
      out.push({
        code: "split-conditions",
        severity: "warning",
        rule: index,
        names: [...names],
        message: `rule ${index}: several conditions on one argument: runc adds each as its own rule, so they are ORed, not ANDed`,
      });
    for (const a of args) {
      const v = big(a.value);
      const v2 = big(a.valueTwo);
      if (v < 0n || v > INT64_MAX || v2 < 0n || v2 > INT64_MAX)
        out.push({
          code: "spo-value-range",
          severity: "warning",
          rule: index,
          names: [...names],
          message: `rule ${index}: argument ${a.index} value ${v}/${v2} outside 0..2^63-1: the SPO SeccompProfile CRD (int64, minimum 0) cannot hold it`,
        });
      if (a.op === "SCMP_CMP_MASKED_EQ" && (v2 & ~v & ((1n << 64n) - 1n)) !== 0n)
        out.push({
          code: "masked-value-outside-mask",
          severity: "warning",
          rule: index,
          names: [...names],
          message: `rule ${index}: MASKED_EQ valueTwo 0x${v2.toString(16)} has bits outside the mask 0x${v.toString(16)}: libseccomp masks it, so the rule matches (arg & mask) == (valueTwo & mask)`,
        });
      if (a.index < 0 || a.index > 5)
        out.push({
          code: "bad-argument-index",
          severity: "error",
          rule: index,
          names: [...names],
          message: `rule ${index}: argument index ${a.index} is not 0..5`,
        });
    }
    if (
      (rule.action === "SCMP_ACT_ERRNO" || rule.action === "SCMP_ACT_TRACE") &&
      rule.errnoRet !== undefined &&
      (rule.errnoRet < 0 || rule.errnoRet > 4095)
    )
      out.push({
        code: "errno-range",
        severity: "warning",
        rule: index,
        names: [...names],
        message: `rule ${index}: errnoRet ${rule.errnoRet} is not an errno (1..4095); the kernel returns its low 16 bits`,
      });
  }
}
