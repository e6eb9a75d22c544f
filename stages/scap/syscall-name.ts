/**
 * The syscall an event stands for: the event table name, or for generic `syscall` events the
 * PPM_SC code's name (falling back to the native number); then the kernel table name for `arch`
 * where sysdig's event name differs (`pread` is the kernel's `pread64`).
 */
import { syscallName, syscallNumber } from "../../schemas/consts.ts";
import { PPM_SC_NAMES } from "../../schemas/generated/scap-events.ts";

/** sysdig event names that are not the kernel's syscall table names (x86_64). */
const KERNEL_NAME: Readonly<Record<string, string>> = {
  pread: "pread64",
  pwrite: "pwrite64",
  prlimit: "prlimit64",
  llseek: "_llseek",
  signalfd: "signalfd",
};

/** Name sysdig prints for a generic event (`evt.type`), from its PPM_SC code or native number. */
export function genericName(ppmSc: number | null, nativeId: number | null, arch: string): string {
  const n = ppmSc === null ? undefined : PPM_SC_NAMES[ppmSc];
  if (n !== undefined && n !== "unknown") return n;
  if (nativeId !== null) return syscallName(arch, nativeId) ?? `syscall_${nativeId}`;
  return "unknown";
}

/** Kernel table name and number of a syscall event name on `arch` (number null when unknown). */
export function kernelSyscall(name: string, arch: string): { name: string; nr: number | null } {
  const k = KERNEL_NAME[name] ?? name;
  const nr = syscallNumber(arch, k);
  if (nr !== undefined) return { name: k, nr };
  // PPM_SC names the signal calls without `rt_` where an architecture only has the rt_ variant
  const rt = syscallNumber(arch, `rt_${k}`);
  return rt !== undefined ? { name: `rt_${k}`, nr: rt } : { name: k, nr: null };
}
