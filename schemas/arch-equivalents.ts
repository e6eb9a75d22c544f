/**
 * x86_64 syscalls that aarch64 does not have, and what glibc and musl call there instead, with
 * the argument mapping (so a rule or a recorded call translates exactly). aarch64 uses the
 * asm-generic table (`/usr/include/asm-generic/unistd.h`), which leaves out the legacy path calls
 * in favour of their `*at` forms; the replacements are those of glibc 2.36's generic sysdeps
 * (sysdeps/unix/sysv/linux/generic, e.g. open → openat(AT_FDCWD, …), fork → clone(SIGCHLD|…)).
 * Every x86_64-only name is either mapped or listed in X86_64_ONLY with the reason
 * (test/profile/arch-map.test.ts checks this against the generated syscall tables).
 */

/** Where one argument of the replacement comes from: an argument of the original, a constant, or unknown. */
export type ArgFrom = { from: number } | { value: bigint } | { unknown: true };

export interface Equivalent {
  to: string;
  args: readonly ArgFrom[];
}

const a = (from: number): ArgFrom => ({ from });
const v = (value: number): ArgFrom => ({ value: BigInt(value) });
const U: ArgFrom = { unknown: true };
const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;
const SIGSET_SIZE = 8;

/** x86_64 name → aarch64 replacement. */
export const X86_64_TO_AARCH64: Readonly<Record<string, Equivalent>> = {
  access: { to: "faccessat", args: [v(AT_FDCWD), a(0), a(1)] },
  alarm: { to: "setitimer", args: [v(0), U, U] }, // ITIMER_REAL
  chmod: { to: "fchmodat", args: [v(AT_FDCWD), a(0), a(1)] },
  chown: { to: "fchownat", args: [v(AT_FDCWD), a(0), a(1), a(2), v(0)] },
  creat: { to: "openat", args: [v(AT_FDCWD), a(0), v(0o1101), a(1)] }, // O_CREAT|O_WRONLY|O_TRUNC
  dup2: { to: "dup3", args: [a(0), a(1), v(0)] },
  epoll_create: { to: "epoll_create1", args: [v(0)] },
  epoll_wait: { to: "epoll_pwait", args: [a(0), a(1), a(2), a(3), v(0), v(SIGSET_SIZE)] },
  eventfd: { to: "eventfd2", args: [a(0), v(0)] },
  fork: { to: "clone", args: [v(0x1200011), v(0), U, U, U] }, // CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD
  futimesat: { to: "utimensat", args: [a(0), a(1), U, v(0)] },
  getdents: { to: "getdents64", args: [a(0), a(1), a(2)] },
  getpgrp: { to: "getpgid", args: [v(0)] },
  inotify_init: { to: "inotify_init1", args: [v(0)] },
  lchown: { to: "fchownat", args: [v(AT_FDCWD), a(0), a(1), a(2), v(AT_SYMLINK_NOFOLLOW)] },
  link: { to: "linkat", args: [v(AT_FDCWD), a(0), v(AT_FDCWD), a(1), v(0)] },
  lstat: { to: "newfstatat", args: [v(AT_FDCWD), a(0), a(1), v(AT_SYMLINK_NOFOLLOW)] },
  mkdir: { to: "mkdirat", args: [v(AT_FDCWD), a(0), a(1)] },
  mknod: { to: "mknodat", args: [v(AT_FDCWD), a(0), a(1), a(2)] },
  open: { to: "openat", args: [v(AT_FDCWD), a(0), a(1), a(2)] },
  pause: { to: "rt_sigsuspend", args: [U, v(SIGSET_SIZE)] },
  pipe: { to: "pipe2", args: [a(0), v(0)] },
  poll: { to: "ppoll", args: [a(0), a(1), U, v(0), v(SIGSET_SIZE)] },
  readlink: { to: "readlinkat", args: [v(AT_FDCWD), a(0), a(1), a(2)] },
  rename: { to: "renameat", args: [v(AT_FDCWD), a(0), v(AT_FDCWD), a(1)] },
  rmdir: { to: "unlinkat", args: [v(AT_FDCWD), a(0), v(AT_REMOVEDIR)] },
  select: { to: "pselect6", args: [a(0), a(1), a(2), a(3), U, v(0)] },
  signalfd: { to: "signalfd4", args: [a(0), a(1), a(2), v(0)] },
  stat: { to: "newfstatat", args: [v(AT_FDCWD), a(0), a(1), v(0)] },
  symlink: { to: "symlinkat", args: [a(0), v(AT_FDCWD), a(1)] },
  time: { to: "clock_gettime", args: [v(0), U] }, // CLOCK_REALTIME (the vDSO's fallback)
  unlink: { to: "unlinkat", args: [v(AT_FDCWD), a(0), v(0)] },
  utime: { to: "utimensat", args: [v(AT_FDCWD), a(0), U, v(0)] },
  utimes: { to: "utimensat", args: [v(AT_FDCWD), a(0), U, v(0)] },
  vfork: { to: "clone", args: [v(0x4111), v(0), U, U, U] }, // CLONE_VM|CLONE_VFORK|SIGCHLD
};

/** x86_64 names with no aarch64 counterpart, and why. */
export const X86_64_ONLY: Readonly<Record<string, string>> = {
  _sysctl: "removed from the kernel (5.5); no replacement",
  afs_syscall: "unimplemented slot",
  arch_prctl: "x86-specific (FS/GS base, CPUID faulting); aarch64 uses TPIDR_EL0 without a syscall",
  create_module: "removed from the kernel (2.6)",
  epoll_ctl_old: "unimplemented slot",
  epoll_wait_old: "unimplemented slot",
  get_kernel_syms: "removed from the kernel (2.6)",
  get_thread_area: "x86 TLS descriptors; aarch64 has no counterpart",
  getpmsg: "unimplemented slot",
  ioperm: "x86 I/O port access",
  iopl: "x86 I/O privilege level",
  modify_ldt: "x86 local descriptor table",
  putpmsg: "unimplemented slot",
  query_module: "removed from the kernel (2.6)",
  security: "unimplemented slot",
  set_thread_area: "x86 TLS descriptors; aarch64 has no counterpart",
  sysfs: "obsolete; aarch64 never had it",
  tuxcall: "unimplemented slot",
  uselib: "a.out loader; aarch64 never had it",
  ustat: "obsolete; aarch64 never had it",
  vserver: "unimplemented slot",
};
