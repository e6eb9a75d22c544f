/**
 * The syscall an event stands for: the event table name, or for generic `syscall` events the
 * PPM_SC code's name (falling back to the native number); then the kernel table name for `arch`
 * where sysdig's event name differs (`pread` is the kernel's `pread64`). An event that names no
 * syscall of `arch` is no event of the dataset (the parsers reject it).
 */
import { syscallName, syscallNumber } from "../../schemas/consts.ts";
import { UNNAMED_SYSCALL } from "../../schemas/events.ts";
import { PPM_SC_NAMES } from "../../schemas/generated/scap-events.ts";

/** sysdig event names that are not the kernel's syscall table names (x86_64). */
const KERNEL_NAME: Readonly<Record<string, string>> = {
  pread: "pread64",
  pwrite: "pwrite64",
  prlimit: "prlimit64",
  llseek: "_llseek",
  signalfd: "signalfd",
};

/**
 * Event names the drivers also use for another syscall where an architecture lacks theirs: the
 * older drivers' `umount` events record `umount2` (syscall_table.c maps __NR_umount2 to
 * PPME_SYSCALL_UMOUNT_E), and x86_64 and aarch64 have no `umount`.
 */
const ELSEWHERE: Readonly<Record<string, string>> = { umount: "umount2" };

/** Name sysdig prints for a generic event (`evt.type`), from its PPM_SC code or native number. */
export function genericName(ppmSc: number | null, nativeId: number | null, arch: string): string {
  const n = ppmSc === null ? undefined : PPM_SC_NAMES[ppmSc];
  if (n !== undefined && n !== "unknown") return n;
  if (nativeId !== null) return syscallName(arch, nativeId) ?? `syscall_${nativeId}`;
  return "unknown";
}

/** A syscall of the dataset: its kernel table name on an architecture, and its number there. */
export interface KernelCall {
  name: string;
  /** null for UNNAMED_SYSCALL. */
  nr: number | null;
}

/** Kernel table name and number of a syscall event name on `arch` (number null when unknown). */
export function kernelSyscall(name: string, arch: string): KernelCall {
  const k = KERNEL_NAME[name] ?? name;
  const nr = syscallNumber(arch, k);
  if (nr !== undefined) return { name: k, nr };
  // PPM_SC names the signal calls without `rt_` where an architecture only has the rt_ variant
  const rt = syscallNumber(arch, `rt_${k}`);
  if (rt !== undefined) return { name: `rt_${k}`, nr: rt };
  const other = ELSEWHERE[k];
  const o = other === undefined ? undefined : syscallNumber(arch, other);
  return o !== undefined ? { name: other!, nr: o } : { name: k, nr: null };
}

/** strace's name for a number it cannot name, which sysdig's JSON and text may carry too. */
const HEX_NAME = /^syscall_0x([0-9a-f]{1,16})$/;

/**
 * The call an event name records on `arch` (an event table name, or a name sysdig printed:
 * also UNNAMED_SYSCALL and `syscall_0x…`), or null when it names none there.
 */
export function namedCall(name: string, arch: string): KernelCall | null {
  if (name === UNNAMED_SYSCALL) return { name, nr: null };
  const hex = HEX_NAME.exec(name);
  if (hex !== null) {
    const nr = parseInt(hex[1]!, 16);
    return { name, nr: nr <= 0x7fffffff ? nr : null };
  }
  const k = kernelSyscall(name, arch);
  return k.nr === null ? null : k;
}

/**
 * The call a generic event records on `arch`: its PPM_SC code's name when `arch` has that call,
 * else the name of its native number (`syscall_0x…` when `arch` has none), else UNNAMED_SYSCALL
 * when the code names nothing (0, or past the table: sysdig prints `<unknown>`); null when the code
 * names a call `arch` does not have and there is no native number.
 */
export function genericCall(ppmSc: number | null, nativeId: number | null, arch: string): KernelCall | null {
  const n = ppmSc === null ? undefined : PPM_SC_NAMES[ppmSc];
  const named = n === undefined || n === "unknown" ? null : namedCall(n, arch);
  if (named !== null) return named;
  if (nativeId !== null && Number.isInteger(nativeId) && nativeId >= 0 && nativeId <= 0x7fffffff) {
    return { name: syscallName(arch, nativeId) ?? `syscall_0x${nativeId.toString(16)}`, nr: nativeId };
  }
  return n === undefined || n === "unknown" ? { name: UNNAMED_SYSCALL, nr: null } : null;
}
