/**
 * The host a profile is compiled for: its native architecture, the container's effective
 * capabilities (Docker `includes`/`excludes`), its kernel version (`minKernel`) and whether runc's
 * ENOSYS stub applies. Architecture names map between sandmine (strace's), Docker's Go names,
 * libseccomp's tokens and the kernel's AUDIT_ARCH values.
 */

export type TargetArch = "x86_64" | "aarch64" | "i386";

export interface Target {
  arch: TargetArch;
  /** effective capabilities, `CAP_*`; default DOCKER_DEFAULT_CAPS */
  caps?: readonly string[];
  /** host kernel "X.Y" for `includes.minKernel`; absent: every minKernel is met */
  kernel?: string;
  /** runc's ENOSYS stub in front of the libseccomp filter (runc ≥ 1.0.0-rc93); default true */
  runcEnosysStub?: boolean;
}

/** Docker's default capability set (seccomp.md §3.4). */
export const DOCKER_DEFAULT_CAPS: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

/** libseccomp architectures sandmine models (the generated table's keys). */
export type ScmpArchName = "x86_64" | "x86" | "x32" | "aarch64" | "arm";

export const SCMP_TOKEN: Readonly<Record<ScmpArchName, string>> = {
  x86_64: "SCMP_ARCH_X86_64",
  x86: "SCMP_ARCH_X86",
  x32: "SCMP_ARCH_X32",
  aarch64: "SCMP_ARCH_AARCH64",
  arm: "SCMP_ARCH_ARM",
};

export function scmpArchOfToken(token: string): ScmpArchName | undefined {
  for (const [k, v] of Object.entries(SCMP_TOKEN)) if (v === token) return k as ScmpArchName;
  return undefined;
}

/** The native libseccomp arch of a target. */
export const NATIVE_SCMP: Readonly<Record<TargetArch, ScmpArchName>> = {
  x86_64: "x86_64",
  aarch64: "aarch64",
  i386: "x86",
};

/** Docker's Go architecture names (`includes.arches` / `excludes.arches`). */
export const GO_ARCH: Readonly<Record<TargetArch, string>> = {
  x86_64: "amd64",
  aarch64: "arm64",
  i386: "x86",
};

/** Kernel AUDIT_ARCH_* values (seccomp_data.arch); x32 shares x86_64's and sets bit 30 in nr. */
export const AUDIT_ARCH: Readonly<Record<ScmpArchName, number>> = {
  x86_64: 0xc000003e,
  x32: 0xc000003e,
  x86: 0x40000003,
  aarch64: 0xc00000b7,
  arm: 0x40000028,
};

export const X32_SYSCALL_BIT = 0x40000000;

/** 64-bit argument registers: libseccomp compares both halves; 32-bit arches only the low one. */
export const ARCH_BITS: Readonly<Record<ScmpArchName, 32 | 64>> = {
  x86_64: 64,
  aarch64: 64,
  x86: 32,
  x32: 32,
  arm: 32,
};

/** `evaluate`'s arch argument: sandmine/strace names plus libseccomp's. */
export function scmpArchOfName(arch: string): ScmpArchName | undefined {
  switch (arch) {
    case "x86_64":
    case "aarch64":
    case "x32":
    case "x86":
    case "arm":
      return arch;
    case "i386":
      return "x86";
    default:
      return scmpArchOfToken(arch);
  }
}
