/**
 * The mined set M (what the runs called) beside the reachable set S (what the image's code can
 * call): M \ S with a reason for each member, S \ M ranked by risk (the dangerous-syscall table's
 * CVEs) and by how likely the call is to be needed (the likelihood class of its best origin).
 */
import { X86_64_ONLY } from "../../schemas/arch-equivalents.ts";
import { DANGEROUS_SYSCALLS } from "../../schemas/dangerous-syscalls.ts";
import { DOCKER_DEFAULT_PROFILE } from "../../schemas/generated/docker-default.ts";
import { compileProfile } from "../seccomp/compile.ts";
import { allowedNames } from "../seccomp/lints.ts";
import { bestLikelihood, LIKELIHOODS, type Likelihood, type Origin } from "./program.ts";

/**
 * The calls libc makes through the vDSO, the syscall only as a fallback: what the kernel's vDSO
 * exports (arch/x86/entry/vdso/vdso.lds.S, arch/arm64/kernel/vdso/vdso.lds.S, v6.1). On aarch64
 * the signal return trampoline is the vDSO's too (__kernel_rt_sigreturn: glibc sets no
 * SA_RESTORER there), so rt_sigreturn has no site in libc's code.
 */
export const VDSO_CALLS: ReadonlySet<string> = new Set([
  "clock_gettime",
  "gettimeofday",
  "time",
  "getcpu",
  "clock_getres",
]);
export const VDSO_CALLS_AARCH64: ReadonlySet<string> = new Set([
  "clock_gettime",
  "gettimeofday",
  "clock_getres",
  "rt_sigreturn",
]);

/** Task names of the container runtime's own processes (its init runs before the entrypoint's execve). */
const RUNTIME_COMM = /^(runc|crun|youki|exe)(:|$)/;

export interface MinedSyscall {
  syscall: string;
  calls: number;
  /** task names that made it */
  comms: string[];
}

export type GapReason =
  | "vdso"
  | "runtime"
  | "unanalysed-program"
  | "not-a-syscall-name"
  | "other-architecture"
  | "indirect-number"
  | "unexplained";

export interface Gap {
  syscall: string;
  reason: GapReason;
  detail: string;
  comms: string[];
}

export interface Unseen {
  syscall: string;
  nr: number;
  /** warning/info: the dangerous-syscall table (CVEs); outside-default: Docker's default profile does not allow it (on the analysed architecture, default capabilities) */
  risk: "warning" | "info" | "outside-default" | "none";
  cves: string[];
  likelihood: Likelihood;
  /** where it comes from, best first: `file`, or `file: fn (called by importer)` */
  origins: string[];
}

export interface Comparison {
  mined: number;
  reachable: number;
  both: number;
  /** M \ S, each explained */
  gaps: Gap[];
  /** S \ M, riskiest and likeliest first */
  unseen: Unseen[];
}

export interface CompareInput {
  /** the analysed architecture (default x86_64): names, and Docker's default compiled for it */
  arch?: "x86_64" | "aarch64";
  mined: readonly MinedSyscall[];
  reachable: ReadonlyMap<number, readonly Origin[]>;
  /** syscall number → name for the architecture analysed */
  names: Readonly<Record<number, string>>;
  /** basenames of programs the runs executed that could not be analysed (missing, not ELF) */
  unanalysed: readonly string[];
  /** syscall sites of unknown number in the code taken */
  unknownSites: number;
  /** the architectures the runs were recorded on (from the dataset), when known */
  recordedArchs?: readonly string[];
  /** every syscall number some site of the analysed files makes (reached or not) */
  present?: ReadonlySet<number>;
}

export const RISK_ORDER = { warning: 3, info: 2, "outside-default": 1, none: 0 } as const;
const RISK = RISK_ORDER;

/**
 * What Docker's default profile allows on x86_64 with its default capabilities (with or without
 * argument conditions): the 301 calls synthesize's comparison counts, not the rules gated on
 * capabilities a container does not get by default (CAP_SYS_ADMIN's mount, setns, …).
 */
const dockerAllowed = new Map<string, ReadonlySet<string>>();
function dockerAllowedOn(arch: "x86_64" | "aarch64"): ReadonlySet<string> {
  let s = dockerAllowed.get(arch);
  if (!s) {
    const a = allowedNames(compileProfile(DOCKER_DEFAULT_PROFILE, { arch }));
    s = new Set([...a.always, ...a.conditional]);
    dockerAllowed.set(arch, s);
  }
  return s;
}

export function compareSets(input: CompareInput): Comparison {
  const sNames = new Map<string, number>();
  for (const nr of input.reachable.keys()) {
    const n = input.names[nr];
    if (n !== undefined) sNames.set(n, nr);
  }
  const known = new Set(Object.values(input.names));
  const mNames = new Set(input.mined.map((m) => m.syscall));
  const gaps: Gap[] = [];
  for (const m of [...input.mined].sort((a, b) => (a.syscall < b.syscall ? -1 : 1))) {
    if (sNames.has(m.syscall)) continue;
    gaps.push({ syscall: m.syscall, comms: m.comms, ...explain(m, input, known) });
  }
  const danger = new Map(DANGEROUS_SYSCALLS.map((d) => [d.name, d]));
  const DOCKER_ALLOWED = dockerAllowedOn(input.arch ?? "x86_64");
  const unseen: Unseen[] = [];
  for (const [name, nr] of sNames) {
    if (mNames.has(name)) continue;
    const best = bestLikelihood(input.reachable.get(nr) ?? []);
    // the best class first; within it the wrapper of the same name (accept for accept) first
    const origins = [...(input.reachable.get(nr) ?? [])].sort(
      (a, b) =>
        Number(b.likelihood === best) - Number(a.likelihood === best) ||
        Number(b.fn === name) - Number(a.fn === name),
    );
    const d = danger.get(name);
    unseen.push({
      syscall: name,
      nr,
      risk: d ? d.severity : DOCKER_ALLOWED.has(name) ? "none" : "outside-default",
      cves: d ? d.cves.map((c) => c.id) : [],
      likelihood: best,
      origins: origins.slice(0, 3).map(describe),
    });
  }
  unseen.sort(
    (a, b) =>
      RISK[b.risk] - RISK[a.risk] ||
      LIKELIHOODS.indexOf(b.likelihood) - LIKELIHOODS.indexOf(a.likelihood) ||
      (a.syscall < b.syscall ? -1 : 1),
  );
  return {
    mined: mNames.size,
    reachable: sNames.size,
    both: [...mNames].filter((n) => sNames.has(n)).length,
    gaps,
    unseen,
  };
}

const describe = (o: Origin): string =>
  o.fn ? `${o.file}: ${o.fn}${o.importer ? ` (called by ${o.importer})` : ""}` : o.file;

function explain(
  m: MinedSyscall,
  input: CompareInput,
  known: ReadonlySet<string>,
): { reason: GapReason; detail: string } {
  const x86Only = input.arch === "aarch64" ? X86_64_ONLY[m.syscall] : undefined;
  if (x86Only !== undefined)
    return {
      reason: "not-a-syscall-name",
      detail: `recorded on x86_64; aarch64 has no such call (${x86Only})`,
    };
  if (!known.has(m.syscall))
    return {
      reason: "not-a-syscall-name",
      detail: "not a syscall of the analysed architecture (or unnamed in the capture)",
    };
  if ((input.arch === "aarch64" ? VDSO_CALLS_AARCH64 : VDSO_CALLS).has(m.syscall)) {
    return {
      reason: "vdso",
      detail:
        m.syscall === "rt_sigreturn"
          ? "the kernel's vDSO trampoline makes it on aarch64 (__kernel_rt_sigreturn), not libc"
          : "libc calls the vDSO; the kernel entry is a fallback the analysis did not find",
    };
  }
  if (m.comms.length > 0 && m.comms.every((c) => RUNTIME_COMM.test(c))) {
    return {
      reason: "runtime",
      detail: `made only by the container runtime (${m.comms.join(", ")}) before the entrypoint's execve`,
    };
  }
  const missing = new Set(input.unanalysed);
  const own = m.comms.filter((c) => !RUNTIME_COMM.test(c));
  if (own.length > 0 && own.every((c) => missing.has(c))) {
    return {
      reason: "unanalysed-program",
      detail: `made by ${own.join(", ")}, whose program was not analysed`,
    };
  }
  const arch = input.arch ?? "x86_64";
  const other = (input.recordedArchs ?? []).filter((a) => a !== arch);
  const nr = Object.entries(input.names).find(([, n]) => n === m.syscall)?.[0];
  if (other.length > 0 && input.present && nr !== undefined && !input.present.has(Number(nr))) {
    return {
      reason: "other-architecture",
      detail: `recorded on ${other.join(", ")}; no code in the ${arch} files analysed makes it (that build's libc calls something else there)`,
    };
  }
  if (input.unknownSites > 0) {
    return {
      reason: "indirect-number",
      detail: `not found at any site of known number; ${input.unknownSites} syscall site(s) have a number the analysis could not find (computed, loaded from memory, set in another block), or the call goes through a function pointer`,
    };
  }
  return { reason: "unexplained", detail: "no site reaches it" };
}
