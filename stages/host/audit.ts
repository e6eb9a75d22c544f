/**
 * Kernel seccomp audit records (`audit: type=1326 … syscall=NNN … code=0x7ffc0000`), as printed
 * to the kernel log when no audit daemon takes them: parsed, numbers mapped to names per
 * architecture (schemas/generated/syscalls.ts), and attributed to the test whose time window
 * holds them. Also recognises the kernel's own notes that records were dropped.
 */
import { SYSCALL_NAMES_BY_NUMBER, type Arch } from "../../schemas/generated/syscalls.ts";

/** AUDIT_ARCH_* values (linux/audit.h) → the architectures of the syscall tables. */
const AUDIT_ARCH: Record<string, Arch> = { c000003e: "x86_64", "40000003": "i386", c00000b7: "aarch64" };

/** SECCOMP_RET_* action bits in `code=` (linux/seccomp.h). */
export const SECCOMP_RET_LOG = 0x7ffc0000;
export const SECCOMP_RET_ERRNO = 0x00050000;

export interface AuditRecord {
  epochMs: number;
  serial: number;
  pid: number;
  comm: string;
  exe: string;
  arch: string;
  nr: number;
  syscall: string;
  /** the action bits of `code=` (errno data masked off). */
  action: number;
}

const FIELD = /(\w+)=("(?:[^"]*)"|\S+)/g;

export function parseAuditLine(line: string): AuditRecord | null {
  const m = /audit: type=1326 audit\((\d+)\.(\d+):(\d+)\):(.*)$/.exec(line);
  if (!m) return null;
  const f: Record<string, string> = {};
  for (const [, k, v] of m[4]!.matchAll(FIELD)) f[k!] = v!.startsWith('"') ? v!.slice(1, -1) : v!;
  if (f.syscall === undefined || f.arch === undefined) return null;
  const arch = AUDIT_ARCH[f.arch] ?? f.arch;
  const nr = Number(f.syscall);
  const names = (SYSCALL_NAMES_BY_NUMBER as Record<string, Record<number, string>>)[arch];
  return {
    epochMs: Number(m[1]) * 1000 + Number(m[2]!.padEnd(3, "0").slice(0, 3)),
    serial: Number(m[3]),
    pid: Number(f.pid),
    comm: f.comm ?? "",
    exe: f.exe ?? "",
    arch,
    nr,
    syscall: names?.[nr] ?? `nr:${nr}`,
    action: (Number(f.code ?? "0") >>> 0) & 0xffff0000,
  };
}

/** Kernel notes that audit or printk records were lost (rate limits, backlog, ring overrun). */
export function lossNote(line: string): string | null {
  let m = /audit: audit_lost=(\d+)/.exec(line);
  if (m) return `the kernel lost audit records (audit_lost=${m[1]})`;
  m = /(\w+): (\d+) callbacks suppressed/.exec(line);
  if (m && /audit|kauditd/.test(m[1]!))
    return `${m[2]} kernel log lines suppressed by the rate limit (${m[1]})`;
  m = /audit: rate limit exceeded/.exec(line);
  if (m) return "audit rate limit exceeded";
  if (/audit: backlog limit exceeded/.test(line)) return "audit backlog limit exceeded";
  return null;
}

export interface Window {
  name: string;
  startMs: number;
  endMs: number;
}

/**
 * The test whose window holds `ms`; before the first: "startup", between two: "between", after
 * the last: "shutdown". Audit times have ms resolution, so windows are widened by 1 ms.
 */
export function attribute(ms: number, windows: Window[]): string {
  for (const w of windows) if (ms >= w.startMs - 1 && ms <= w.endMs + 1) return w.name;
  if (windows.length === 0 || ms < windows[0]!.startMs) return "startup";
  if (ms > windows[windows.length - 1]!.endMs) return "shutdown";
  return "between";
}
