/**
 * Seccomp actions as the kernel sees them (SECCOMP_RET_* | data) and as runc 1.1.5 maps profile
 * actions onto them (libcontainer/seccomp getAction): KILL is KILL_THREAD, ERRNO and TRACE carry
 * errnoRet (default EPERM) in the low 16 bits.
 */
import type { Action } from "../../schemas/seccomp-profile.ts";

export const RET = {
  KILL_PROCESS: 0x80000000,
  KILL_THREAD: 0x00000000,
  TRAP: 0x00030000,
  ERRNO: 0x00050000,
  NOTIFY: 0x7fc00000,
  TRACE: 0x7ff00000,
  LOG: 0x7ffc0000,
  ALLOW: 0x7fff0000,
} as const;

export const EPERM = 1;
export const ENOSYS = 38;
export const RET_ENOSYS = (RET.ERRNO | ENOSYS) >>> 0;

/** The kernel return value runc gives a profile action with its errnoRet. */
export function encodeAction(action: Action, errnoRet: number | undefined): number {
  const data = (errnoRet ?? EPERM) & 0xffff;
  switch (action) {
    case "SCMP_ACT_KILL":
    case "SCMP_ACT_KILL_THREAD":
      return RET.KILL_THREAD;
    case "SCMP_ACT_KILL_PROCESS":
      return RET.KILL_PROCESS;
    case "SCMP_ACT_TRAP":
      return RET.TRAP;
    case "SCMP_ACT_ERRNO":
      return (RET.ERRNO | data) >>> 0;
    case "SCMP_ACT_TRACE":
      return (RET.TRACE | data) >>> 0;
    case "SCMP_ACT_LOG":
      return RET.LOG;
    case "SCMP_ACT_ALLOW":
      return RET.ALLOW;
    case "SCMP_ACT_NOTIFY":
      return RET.NOTIFY;
  }
}

export interface Decoded {
  action: Action;
  errno?: number;
}

export function decodeAction(ret: number): Decoded {
  const u = ret >>> 0;
  const act = (u & 0xffff0000) >>> 0;
  const data = u & 0xffff;
  if (u >= RET.KILL_PROCESS) return { action: "SCMP_ACT_KILL_PROCESS" };
  if (act === RET.KILL_THREAD) return { action: "SCMP_ACT_KILL_THREAD" };
  if (act === RET.TRAP) return { action: "SCMP_ACT_TRAP" };
  if (act === RET.ERRNO) return { action: "SCMP_ACT_ERRNO", errno: data };
  if (act === RET.NOTIFY) return { action: "SCMP_ACT_NOTIFY" };
  if (act === RET.TRACE) return { action: "SCMP_ACT_TRACE" };
  if (act === RET.LOG) return { action: "SCMP_ACT_LOG" };
  if (act === RET.ALLOW) return { action: "SCMP_ACT_ALLOW" };
  // the kernel treats unknown actions as KILL_PROCESS
  return { action: "SCMP_ACT_KILL_PROCESS" };
}

/** The kernel's precedence: a larger value (as s32 of the action bits) is more permissive. */
export function permissiveness(ret: number): number {
  return ((ret >>> 0) & 0xffff0000) | 0;
}

/** runc skips the stub and nothing else for these defaults (patchbpf isAllowAction). */
export function isAllowLike(action: Action): boolean {
  return action === "SCMP_ACT_ALLOW" || action === "SCMP_ACT_LOG" || action === "SCMP_ACT_TRACE";
}
