/**
 * One differential run: the evaluator against libseccomp's exported BPF (with runc's stub
 * prepended) on seeded calls; calls of syscalls whose conditional rules carry several actions are
 * counted apart (libseccomp's tree pruning is not modelled: see stages/seccomp/tree.ts).
 */
import { LIBSECCOMP_SYSCALLS } from "../../../schemas/generated/libseccomp-syscalls.ts";
import type { DockerProfile } from "../../../schemas/seccomp-profile.ts";
import { compileWithLibseccomp } from "../../../pipeline/seccomp/libseccomp.ts";
import { compileProfile } from "../../../stages/seccomp/compile.ts";
import { evaluate } from "../../../stages/seccomp/evaluate.ts";
import type { Target } from "../../../stages/seccomp/target.ts";
import { enosysStub, parseProgram, run } from "./bpf.ts";
import { callsFor } from "./calls.ts";

export const CALLS = 20_000;

/** Names whose conditional rules carry more than one action (after runc drops default-equal ones). */
function mixedNames(p: DockerProfile, t: Target): Set<string> {
  const f = compileProfile(p, t);
  const acts = new Map<string, Set<string>>();
  for (const { rule, names } of f.rules) {
    if (!rule.args?.length) continue;
    for (const n of names) {
      const k = `${rule.action}/${rule.errnoRet ?? ""}`;
      acts.set(n, (acts.get(n) ?? new Set()).add(k));
    }
  }
  return new Set([...acts].filter(([, s]) => s.size > 1).map(([n]) => n));
}

export interface DiffResult {
  calls: number;
  mismatches: string[];
  /** calls of syscalls with conditional rules of several actions: checked, counted apart */
  mixedCalls: number;
  mixedMismatches: number;
}

export function differential(p: DockerProfile, t: Target, seed: number): DiffResult {
  const f = compileProfile(p, t);
  const mixed = mixedNames(p, t);
  let mixedCalls = 0;
  let mixedMismatches = 0;
  const lib = compileWithLibseccomp(p, t);
  const stub = t.runcEnosysStub === false || !f.stub ? [] : enosysStub(lib.lastSyscalls);
  const prog = [...stub, ...parseProgram(lib.program)];
  const mismatches: string[] = [];
  const calls = callsFor(f, CALLS, seed);
  for (const c of calls) {
    const want = run(prog, { nr: c.nr, arch: c.audit, args: c.args });
    const got = evaluate(f, c.arch, c.nr, c.args);
    const name = syscallNameFor(c.arch, c.nr);
    if (name !== undefined && mixed.has(name)) {
      mixedCalls++;
      if (got.ret !== want) mixedMismatches++;
      continue;
    }
    if (got.ret !== want && mismatches.length < 10)
      mismatches.push(
        `${c.arch} nr=${c.nr} args=[${c.args.map((a) => "0x" + a.toString(16)).join(",")}]: ` +
          `libseccomp 0x${want.toString(16)}, evaluator 0x${(got.ret ?? 0).toString(16)} (${got.action} ${got.errno ?? ""} rule ${got.rule})`,
      );
  }
  return { calls: calls.length, mismatches, mixedCalls, mixedMismatches };
}

function syscallNameFor(arch: string, nr: number): string | undefined {
  // x86_64 and x32 share one BPF section: the number tells which table
  const key = arch === "x86_64" || arch === "x32" ? (nr & 0x40000000 ? "x32" : "x86_64") : arch;
  const table = LIBSECCOMP_SYSCALLS[key as keyof typeof LIBSECCOMP_SYSCALLS];
  if (!table) return undefined;
  for (const [n, v] of Object.entries(table)) if (v >>> 0 === nr) return n;
  if (arch === "x86" && (nr === 102 || nr === 117)) return nr === 102 ? "socketcall" : "ipc";
  return undefined;
}
