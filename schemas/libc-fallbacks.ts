/**
 * Syscalls for which glibc (2.34+) or musl fall back to an older call when the kernel answers
 * ENOSYS, but treat EPERM as a hard failure (moby #42680 for clone3; glibc's
 * sysdeps/unix/sysv/linux/*.c fallbacks for the others). A profile that does not allow one of
 * these must deny it with ENOSYS, or programs break under a profile built from a libc that did
 * not yet use it. Names absent on an architecture are skipped there.
 */
export const ENOSYS_FALLBACKS: Readonly<Record<string, string>> = {
  clone3: "glibc 2.34+ tries clone3 for threads and posix_spawn, falls back to clone on ENOSYS",
  close_range: "glibc closefrom and posix_spawn fall back to /proc/self/fd on ENOSYS",
  epoll_pwait2: "glibc epoll_pwait2 wrapper; libuv and others fall back to epoll_pwait on ENOSYS",
  faccessat2: "glibc 2.33+ faccessat with flags falls back to fstatat emulation on ENOSYS",
  fchmodat2: "glibc 2.39+ fchmodat with flags falls back on ENOSYS",
  futex_waitv: "callers fall back to futex on ENOSYS",
  map_shadow_stack: "glibc shadow-stack setup is skipped on ENOSYS",
  mseal: "glibc 2.41+ sealing is skipped on ENOSYS",
  openat2: "callers (systemd, runc, …) fall back to openat on ENOSYS",
  pidfd_getfd: "callers fall back on ENOSYS",
  pidfd_open: "glibc pidfd_spawn/pidfd helpers and systemd fall back on ENOSYS",
  pidfd_send_signal: "callers fall back to kill on ENOSYS",
  rseq: "glibc 2.35+ registers rseq at thread start and carries on without it on ENOSYS",
  statx: "glibc 2.28+ fstatat64/statx fall back to newfstatat on ENOSYS",
  clock_gettime64: "32-bit time64 variant: glibc falls back to clock_gettime on ENOSYS",
  clock_nanosleep_time64: "32-bit time64 variant: falls back on ENOSYS",
  futex_time64: "32-bit time64 variant: falls back on ENOSYS",
  ppoll_time64: "32-bit time64 variant: falls back on ENOSYS",
  pselect6_time64: "32-bit time64 variant: falls back on ENOSYS",
  recvmmsg_time64: "32-bit time64 variant: falls back on ENOSYS",
  semtimedop_time64: "32-bit time64 variant: falls back on ENOSYS",
  utimensat_time64: "32-bit time64 variant: falls back on ENOSYS",
};

/** errno values the profiles use. */
export const EPERM = 1;
export const ENOSYS = 38;
