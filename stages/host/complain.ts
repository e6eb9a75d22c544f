/**
 * A profile's complain-mode twin: the default action becomes SCMP_ACT_LOG and so does every
 * denying rule (errno, kill, trap), so the container runs unhindered and the kernel logs each
 * call the profile would have refused. Allowing rules stay as they are. (runc adds no ENOSYS stub
 * for a permissive default, so calls above the highest listed number are logged too.)
 */
import type { DockerProfile, SyscallRule } from "../../schemas/seccomp-profile.ts";

const DENYING = new Set([
  "SCMP_ACT_ERRNO",
  "SCMP_ACT_KILL",
  "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD",
  "SCMP_ACT_TRAP",
]);

export function complainProfile(p: DockerProfile): DockerProfile {
  const syscalls: SyscallRule[] = p.syscalls.map((r) => {
    if (!DENYING.has(r.action)) return r;
    const out: SyscallRule = { ...r, action: "SCMP_ACT_LOG" };
    delete out.errnoRet;
    return out;
  });
  const out: DockerProfile = { ...p, defaultAction: "SCMP_ACT_LOG", syscalls };
  delete out.defaultErrnoRet;
  return out;
}

/** Names allowed without condition or with some condition (for the report's count). */
export function allowedNames(p: DockerProfile): string[] {
  const out = new Set<string>();
  for (const r of p.syscalls)
    if (r.action === "SCMP_ACT_ALLOW" || r.action === "SCMP_ACT_LOG") for (const n of r.names) out.add(n);
  return [...out].sort();
}
