/**
 * What a profile should do to an attack probe's call, under runc's semantics (the ENOSYS stub,
 * libseccomp's argument trees), from the seccomp evaluator in stages/seccomp/.
 */
import { SYSCALL_NUMBERS } from "../../schemas/generated/syscalls.ts";
import type { Probe } from "../../schemas/probes.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { compileProfile } from "../seccomp/compile.ts";
import { evaluate } from "../seccomp/evaluate.ts";

export interface Expected {
  action: string;
  errno: number | null;
}

export function expectedVerdict(p: DockerProfile, probe: Probe): Expected {
  const nr = (SYSCALL_NUMBERS.x86_64 as Record<string, number>)[probe.syscall];
  if (nr === undefined) throw new Error(`probe ${probe.name}: ${probe.syscall} has no x86_64 number`);
  const args: (bigint | null)[] = [];
  for (let i = 0; i < 6; i++) args.push(probe.args[i] === undefined ? null : BigInt(probe.args[i]!));
  const v = evaluate(compileProfile(p, { arch: "x86_64" }), "x86_64", nr, args);
  return { action: v.action, errno: v.errno ?? null };
}

/** A deny the probe can observe as an errno (kill and trap end the probe instead). */
export const isErrnoDeny = (e: Expected): boolean => e.action === "SCMP_ACT_ERRNO" && e.errno !== null;
