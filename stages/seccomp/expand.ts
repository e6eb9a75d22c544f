/**
 * Docker's `setupSeccomp` (moby/profiles/seccomp): the rules that apply on a host — `includes` and
 * `excludes` by Go arch, capabilities and minKernel — and the architectures of `archMap` (the entry
 * for the native arch plus its sub-architectures) or `architectures`.
 */
import type { DockerProfile, SyscallRule } from "../../schemas/seccomp-profile.ts";
import { DOCKER_DEFAULT_CAPS, GO_ARCH, NATIVE_SCMP, SCMP_TOKEN, type Target } from "./target.ts";

export interface ExpandedRule {
  /** index into the profile's `syscalls` */
  index: number;
  rule: SyscallRule;
  /** the names (Docker also accepts the deprecated single `name`) */
  names: readonly string[];
}

export interface Expanded {
  architectures: string[];
  rules: ExpandedRule[];
}

function kernelAtLeast(kernel: string | undefined, min: string): boolean {
  if (kernel === undefined) return true;
  const [ka = 0, kb = 0] = kernel.split(".").map((x) => Number.parseInt(x, 10));
  const [ma = 0, mb = 0] = min.split(".").map((x) => Number.parseInt(x, 10));
  return ka > ma || (ka === ma && kb >= mb);
}

export function ruleApplies(rule: SyscallRule, t: Target): boolean {
  const caps = new Set(t.caps ?? DOCKER_DEFAULT_CAPS);
  const goArch = GO_ARCH[t.arch];
  const inc = rule.includes;
  const exc = rule.excludes;
  if (exc?.arches && exc.arches.includes(goArch)) return false;
  if (exc?.caps && exc.caps.some((c) => caps.has(c))) return false;
  if (inc?.arches && inc.arches.length > 0 && !inc.arches.includes(goArch)) return false;
  if (inc?.caps && inc.caps.length > 0 && !inc.caps.every((c) => caps.has(c))) return false;
  if (inc?.minKernel && !kernelAtLeast(t.kernel, inc.minKernel)) return false;
  return true;
}

export function namesOf(rule: SyscallRule): string[] {
  const legacy = (rule as { name?: unknown }).name;
  if (rule.names && rule.names.length > 0) return rule.names;
  return typeof legacy === "string" ? [legacy] : [];
}

export function expandProfile(p: DockerProfile, t: Target): Expanded {
  let architectures: string[] = [];
  if (p.archMap && p.archMap.length > 0) {
    const native = SCMP_TOKEN[NATIVE_SCMP[t.arch]];
    const entry = p.archMap.find((e) => e.architecture === native);
    if (entry) architectures = [entry.architecture, ...entry.subArchitectures];
  } else if (p.architectures) architectures = [...p.architectures];
  const rules: ExpandedRule[] = [];
  p.syscalls.forEach((rule, index) => {
    if (ruleApplies(rule, t)) rules.push({ index, rule, names: namesOf(rule) });
  });
  return { architectures, rules };
}
