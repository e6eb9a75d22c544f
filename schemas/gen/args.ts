/**
 * Maps kernel syscall prototypes (C type + parameter name) to the argument kinds the strace
 * parser works with. The rules are generic (by C type and parameter name); the constant table of
 * an argument is chosen by the explicit `syscall.param` mapping below.
 */

export type ArgKind =
  | "fd"
  | "dirfd"
  | "path"
  | "flags"
  | "enum"
  | "number"
  | "pointer"
  | "string"
  | "struct"
  | "mode"
  | "signal"
  | "pid"
  | "uid";

export interface Param {
  readonly type: string;
  readonly name: string;
}

export interface Prototype {
  readonly name: string;
  readonly params: readonly Param[];
  readonly source: string;
}

/**
 * What an argument's value is, for the stages that turn observed values into rules (characterize,
 * synthesize): only `enum`, `flags` and `family` values can become seccomp argument comparisons;
 * `fd`/`dirfd` are characterized by what the descriptor is (fd kind) and `path` by its paths (the
 * TRACE rule of the paper, notes in the profile report); the others are never rule candidates.
 * - `enum`: one of a closed set of named constants (fcntl cmd, prctl option, lseek whence, madvise
 *   advice, signals, clock ids, ioctl requests, sockopt levels and names, …);
 * - `flags`: a bitmask of named bits (open flags, mmap prot and flags, clone flags, msg flags, …),
 *   and the values whose constant table strace prints as `A|B` (futex op: a command with the
 *   FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME bits; socket type with SOCK_NONBLOCK/SOCK_CLOEXEC);
 * - `family`: an address family (AF_*: socket and socketpair's domain);
 * - `fd`, `dirfd`: a file descriptor, or a descriptor or AT_FDCWD as a path's base;
 * - `path`: a file name the kernel resolves;
 * - `pointer`, `buffer`, `struct`: the address of user memory (untyped or a scalar out-value, bytes
 *   or a string, a structure or array) — the register holds an address, not the value;
 * - `magnitude`: a value the application chooses freely: a length, size, count, offset, timeout,
 *   address passed by value (mmap addr, brk), id (pid, uid, key, timer, cpu), priority, exit
 *   status, or a command-dependent argument (ioctl/fcntl/prctl arg);
 * - `mode`: file permission bits (umode_t, umask): chosen freely, never ruled on.
 */
export type ArgRole =
  | "enum"
  | "flags"
  | "family"
  | "fd"
  | "dirfd"
  | "path"
  | "pointer"
  | "buffer"
  | "struct"
  | "magnitude"
  | "mode";

export const ARG_ROLES: readonly ArgRole[] = [
  "enum",
  "flags",
  "family",
  "fd",
  "dirfd",
  "path",
  "pointer",
  "buffer",
  "struct",
  "magnitude",
  "mode",
];

export interface GenArgSpec {
  readonly name: string;
  readonly kind: ArgKind;
  readonly table?: string;
  /** 32 when the C type is 32 bits wide (the kernel ignores the register's upper half) */
  readonly bits?: 32;
  readonly role?: ArgRole;
}

/** C types of 32-bit scalar parameters on the 64-bit ABIs (everything else is register-wide). */
const INT32_TYPES =
  /^(int|unsigned int|unsigned|signed int|u32|__u32|s32|__s32|umode_t|uid_t|gid_t|old_uid_t|old_gid_t|qid_t|pid_t|clockid_t|key_serial_t|mqd_t|timer_t|rwf_t|key_perm_t|unsigned short|short|u16|old_uid_t|qid_t)$/;

/** Whether a parameter's C type is a 32-bit scalar. */
export function isInt32(type: string): boolean {
  return INT32_TYPES.test(
    type
      .replace(/\bconst\b/g, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/** Parses lines `name(type a, type b)` of syscall-prototypes.txt / arch-prototypes.txt. */
export function parsePrototypes(text: string, source: string): Prototype[] {
  const out: Prototype[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-z0-9_]+)\((.*)\)$/.exec(line);
    if (!m) throw new Error(`${source}: cannot parse prototype line: ${line}`);
    const body = m[2]!.trim();
    const params: Param[] =
      body === "void"
        ? []
        : body.split(",").map((p, i) => {
            const t = p.trim();
            // the name is the last identifier, unless the parameter is unnamed (type only)
            const pm = /^(.*?[\s*])([A-Za-z_]\w*)$/.exec(t);
            const typeOnly =
              !pm ||
              /^(int|long|unsigned|size_t|aio_context_t|u32|u64)$/.test(pm[2]!) ||
              /^(struct|union|enum)\s*$/.test(pm[1]!.trim());
            if (typeOnly) return { type: t, name: `arg${i + 1}` };
            return { type: pm[1]!.trim(), name: pm[2]! };
          });
    out.push({ name: m[1]!, params, source });
  }
  return out;
}

/**
 * Syscall-table name -> prototype name, where they differ (kernel-internal names vs the names
 * strace and the syscall tables use). Checked before the generic suffix rules.
 */
export const NAME_ALIASES: Readonly<Record<string, string>> = {
  uname: "newuname",
  olduname: "uname",
  oldolduname: "olduname",
  stat: "newstat",
  lstat: "newlstat",
  fstat: "newfstat",
  oldstat: "stat",
  oldlstat: "lstat",
  oldfstat: "fstat",
  _llseek: "llseek",
  mmap2: "mmap_pgoff",
  _newselect: "select",
  readdir: "old_readdir",
  umount2: "umount",
  umount: "oldumount",
  ugetrlimit: "getrlimit",
  sendfile: "sendfile64",
};

/** i386 syscalls whose name means something else than on x86_64/aarch64. */
export const I386_NAME_ALIASES: Readonly<Record<string, string>> = {
  mmap: "old_mmap",
  select: "old_select",
  getrlimit: "old_getrlimit",
};

export function prototypeNameFor(
  syscall: string,
  protos: ReadonlyMap<string, Prototype>,
): string | undefined {
  const alias = NAME_ALIASES[syscall];
  if (alias !== undefined && protos.has(alias)) return alias;
  if (protos.has(syscall)) return syscall;
  const candidates: string[] = [];
  if (syscall.endsWith("_time64")) candidates.push(syscall.slice(0, -"_time64".length));
  if (syscall.endsWith("64")) candidates.push(syscall.slice(0, -2));
  if (syscall.endsWith("32")) candidates.push(syscall.slice(0, -2)); // i386 chown32, getuid32, ...
  return candidates.find((c) => protos.has(c));
}

type Hint = { kind: ArgKind; table?: string };
const F = (table: string): Hint => ({ kind: "flags", table });
const E = (table: string): Hint => ({ kind: "enum", table });

/** `syscall.param` -> kind and constant table. */
export const PARAM_HINTS: Readonly<Record<string, Hint>> = {
  "open.flags": F("open_flags"),
  "openat.flags": F("open_flags"),
  "mq_open.oflag": F("open_flags"),
  "open_by_handle_at.flags": F("open_flags"),
  "pipe2.flags": F("open_flags"),
  "dup3.flags": F("open_flags"),
  "signalfd4.flags": F("signalfd_flags"),
  "signalfd.flags": F("signalfd_flags"),
  "fadvise64.advice": E("fadvise_advice"),
  "getrusage.who": E("rusage_who"),
  "getitimer.which": E("itimer_which"),
  "setitimer.which": E("itimer_which"),
  "sync_file_range.flags": F("sync_file_range_flags"),
  "shmget.flag": F("ipc_flags"),
  "shmctl.cmd": E("ipc_cmd"),
  "msgctl.cmd": E("ipc_cmd"),
  "keyctl.cmd": E("keyctl_cmd"),
  "shutdown.how": E("shutdown_how"),
  "fcntl.cmd": E("fcntl_cmd"),
  "fcntl64.cmd": E("fcntl_cmd"),
  "clone.clone_flags": F("clone_flags"),
  "unshare.unshare_flags": F("clone_flags"),
  "setns.nstype": F("clone_flags"),
  "socket.family": E("socket_domain"),
  "socketpair.family": E("socket_domain"),
  "socket.type": F("socket_type"),
  "socketpair.type": F("socket_type"),
  "accept4.flags": F("socket_type"),
  "socket.protocol": E("ipproto"),
  "socketpair.protocol": E("ipproto"),
  "mmap.prot": F("mmap_prot"),
  "mmap_pgoff.prot": F("mmap_prot"),
  "mprotect.prot": F("mmap_prot"),
  "pkey_mprotect.prot": F("mmap_prot"),
  "remap_file_pages.prot": F("mmap_prot"),
  "mmap.flags": F("mmap_flags"),
  "mmap_pgoff.flags": F("mmap_flags"),
  "mremap.flags": F("mremap_flags"),
  "madvise.behavior": E("madvise"),
  "process_madvise.behavior": E("madvise"),
  "futex.op": F("futex_op"),
  "prctl.option": E("prctl_option"),
  "personality.personality": F("personality"),
  "ioctl.cmd": E("ioctl_request"),
  "epoll_ctl.op": E("epoll_op"),
  "epoll_create1.flags": F("epoll_create_flags"),
  "kill.sig": { kind: "signal", table: "signals" },
  "tkill.sig": { kind: "signal", table: "signals" },
  "tgkill.sig": { kind: "signal", table: "signals" },
  "rt_sigqueueinfo.sig": { kind: "signal", table: "signals" },
  "rt_tgsigqueueinfo.sig": { kind: "signal", table: "signals" },
  "pidfd_send_signal.sig": { kind: "signal", table: "signals" },
  "rt_sigaction.sig": { kind: "signal", table: "signals" },
  "sigaction.sig": { kind: "signal", table: "signals" },
  "signal.sig": { kind: "signal", table: "signals" },
  "access.mode": F("access_mode"),
  "faccessat.mode": F("access_mode"),
  "faccessat2.mode": F("access_mode"),
  "faccessat2.flags": F("at_flags"),
  "newfstatat.flag": F("at_flags"),
  "fstatat64.flag": F("at_flags"),
  "unlinkat.flag": F("at_flags"),
  "fchownat.flag": F("at_flags"),
  "linkat.flags": F("at_flags"),
  "utimensat.flags": F("at_flags"),
  "name_to_handle_at.flag": F("at_flags"),
  "execveat.flags": F("at_flags"),
  "statx.flags": F("at_flags"),
  "fchmodat2.flags": F("at_flags"),
  "setxattrat.at_flags": F("at_flags"),
  "getxattrat.at_flags": F("at_flags"),
  "listxattrat.at_flags": F("at_flags"),
  "removexattrat.at_flags": F("at_flags"),
  "file_getattr.at_flags": F("at_flags"),
  "file_setattr.at_flags": F("at_flags"),
  "statx.mask": F("statx_mask"),
  "seccomp.op": E("seccomp_op"),
  "seccomp.flags": F("seccomp_filter_flags"),
  "setsockopt.level": E("sol_level"),
  "getsockopt.level": E("sol_level"),
  // Correct only for level SOL_SOCKET; other levels (SOL_TCP: tcp_options) are chosen by the decoder.
  "setsockopt.optname": E("socket_options"),
  "getsockopt.optname": E("socket_options"),
  "send.flags": F("msg_flags"),
  "sendto.flags": F("msg_flags"),
  "recv.flags": F("msg_flags"),
  "recvfrom.flags": F("msg_flags"),
  "sendmsg.flags": F("msg_flags"),
  "recvmsg.flags": F("msg_flags"),
  "sendmmsg.flags": F("msg_flags"),
  "recvmmsg.flags": F("msg_flags"),
  "arch_prctl.option": E("arch_prctl"),
  "getrlimit.resource": E("rlimit_resource"),
  "setrlimit.resource": E("rlimit_resource"),
  "old_getrlimit.resource": E("rlimit_resource"),
  "prlimit64.resource": E("rlimit_resource"),
  "clock_gettime.which_clock": E("clock_id"),
  "clock_settime.which_clock": E("clock_id"),
  "clock_getres.which_clock": E("clock_id"),
  "clock_adjtime.which_clock": E("clock_id"),
  "clock_nanosleep.which_clock": E("clock_id"),
  "timer_create.which_clock": E("clock_id"),
  "timerfd_create.clockid": E("clock_id"),
  "clock_nanosleep.flags": F("timer_flags"),
  "timer_settime.flags": F("timer_flags"),
  "timerfd_create.flags": F("timerfd"),
  "timerfd_settime.flags": F("timerfd"),
  "lseek.whence": E("seek_whence"),
  "llseek.whence": E("seek_whence"),
  "rt_sigprocmask.how": E("sigprocmask_how"),
  "sigprocmask.how": E("sigprocmask_how"),
  "wait4.options": F("wait_options"),
  "waitpid.options": F("wait_options"),
  "waitid.options": F("wait_options"),
  "waitid.which": E("waitid_which"),
  "eventfd2.flags": F("eventfd_flags"),
  "inotify_init1.flags": F("inotify"),
  "inotify_add_watch.mask": F("inotify"),
  "splice.flags": F("splice_flags"),
  "vmsplice.flags": F("splice_flags"),
  "tee.flags": F("splice_flags"),
  "mount.flags": F("mount_flags"),
  "umount.flags": F("umount_flags"),
  "getrandom.flags": F("getrandom_flags"),
  "memfd_create.flags": F("memfd_flags"),
  "renameat2.flags": F("rename_flags"),
  "mlockall.flags": F("mlockall_flags"),
  "msync.flags": F("msync_flags"),
  "pipe.fildes": { kind: "struct" },
  "pipe2.fildes": { kind: "struct" },
  "socketpair.usockvec": { kind: "struct" },
  "mq_timedsend.mqdes": { kind: "fd" },
  "mq_timedreceive.mqdes": { kind: "fd" },
  "mq_notify.mqdes": { kind: "fd" },
  "mq_getsetattr.mqdes": { kind: "fd" },
  "memfd_create.uname_ptr": { kind: "string" },
  "setsockopt.optval": { kind: "struct" },
  "getsockopt.optval": { kind: "struct" },
  "mount.type": { kind: "string" },
  "mount.data": { kind: "string" },
};

const FD_NAMES =
  /^(fd|fildes|oldfd|newfd|out_fd|in_fd|fd_in|fd_out|fdin|fdout|epfd|ufd|fs_fd|pidfd|mountdirfd|fanotify_fd|ruleset_fd|kernel_fd|initrd_fd|group_fd)$/;
const DIRFD_NAMES = /^(dfd|olddfd|newdfd|from_dfd|to_dfd)$/;
const PATH_NAMES =
  /^(filename|pathname|path|oldname|newname|old|new|dev_name|dir_name|new_root|put_old|specialfile|library|from_path|to_path|name_user|special)$/;
const BUFFER_NAMES =
  /^(buf|buff|ubuf|value|list|msg_ptr|u_msg_ptr|optval|_payload|_description|_type|_callout_info|uargs|cmdline_ptr|key)$/;
const ADDRESS_NAMES = /^(addr|start|brk|new_addr|newsp|tls|umod|shmaddr|uaddr|uaddr2)$/;

function isPointer(type: string): boolean {
  return type.includes("*") || /^(cap_user_header_t|cap_user_data_t|__sighandler_t)$/.test(type);
}

export function argKind(syscall: string, p: Param): GenArgSpec {
  const hint = PARAM_HINTS[`${syscall}.${p.name}`];
  if (hint)
    return hint.table
      ? { name: p.name, kind: hint.kind, table: hint.table }
      : { name: p.name, kind: hint.kind };
  const t = p.type.replace(/\s+/g, " ").trim();
  const n = p.name;
  if (isPointer(t)) {
    const base = t
      .replace(/\bconst\b/g, "")
      .replace(/\s+/g, " ")
      .trim();
    if (/^char \*$/.test(base)) {
      if (PATH_NAMES.test(n) || (syscall === "acct" && n === "name")) return { name: n, kind: "path" };
      return { name: n, kind: "string" };
    }
    if (/^void \*$/.test(base) && BUFFER_NAMES.test(n)) return { name: n, kind: "string" };
    if (/^char \* \*$|^char \*\*$/.test(base.replace(/\*\s*\*/, "* *"))) return { name: n, kind: "struct" };
    if (
      /^(struct|union) /.test(base) ||
      /^(sigset_t|old_sigset_t|siginfo_t|fd_set|cap_user_header_t|cap_user_data_t) ?\*?$/.test(base)
    )
      return { name: n, kind: "struct" };
    return { name: n, kind: "pointer" };
  }
  if (t === "umode_t") return { name: n, kind: "mode" };
  if (/^(uid_t|gid_t|old_uid_t|old_gid_t|qid_t)$/.test(t)) return { name: n, kind: "uid" };
  if (t === "pid_t" || /^(pid|tgid|pid1|pid2)$/.test(n)) return { name: n, kind: "pid" };
  if (DIRFD_NAMES.test(n)) return { name: n, kind: "dirfd" };
  if (FD_NAMES.test(n)) return { name: n, kind: "fd" };
  if (n === "sig") return { name: n, kind: "signal", table: "signals" };
  if (t === "clockid_t") return { name: n, kind: "enum", table: "clock_id" };
  if (ADDRESS_NAMES.test(n)) return { name: n, kind: "pointer" };
  if (/flags?$/.test(n)) return { name: n, kind: "flags" };
  return { name: n, kind: "number" };
}

/**
 * `syscall.param` (prototype names, as PARAM_HINTS) -> role, where the generic rules of `argRole`
 * would say something else or nothing. Each names why.
 */
export const ROLE_HINTS: Readonly<Record<string, ArgRole>> = {
  // rseq's `sig` is the RSEQ_SIG signature word, not a signal number
  "rseq.sig": "magnitude",
  // cap_user_data_t is a pointer typedef (written `const cap_user_data_t`)
  "capset.data": "struct",
  // an attach address (`char *` in the prototype), not a string
  "shmat.shmaddr": "pointer",
  "shmdt.shmaddr": "pointer",
  // plain integer parameters that hold named constants
  "flock.cmd": "flags", // LOCK_SH | LOCK_EX | LOCK_UN, | LOCK_NB
  "fallocate.mode": "flags", // FALLOC_FL_*
  "mbind.mode": "enum", // MPOL_* (| MPOL_F_* modifiers)
  "set_mempolicy.mode": "enum",
  "pkey_alloc.init_val": "flags", // PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE
  "fanotify_mark.mask": "flags", // FAN_* event bits
  "sigsuspend.mask": "flags", // a signal set passed by value
  "ssetmask.newmask": "flags", // a signal set passed by value
  "msgget.msgflg": "flags", // IPC_CREAT | IPC_EXCL | permission bits
  "msgsnd.msgflg": "flags", // IPC_NOWAIT
  "msgrcv.msgflg": "flags", // IPC_NOWAIT | MSG_EXCEPT | MSG_NOERROR | MSG_COPY
  "semget.semflg": "flags", // IPC_CREAT | IPC_EXCL | permission bits
  "shmat.shmflg": "flags", // SHM_RDONLY | SHM_RND | SHM_REMAP | SHM_EXEC
  // the file-creation mask is permission bits
  "umask.mask": "mode",
};

/** Integer parameters holding one of a closed set of named constants, by parameter name. */
const ENUM_NUMBER_NAMES =
  /^(cmd|which|how|advice|op|policy|option|call|request|func|rule_type|type|magic1|magic2)$/;

/**
 * Integer parameters an application chooses freely, by parameter name: sizes and lengths, counts,
 * offsets and positions, times, ids, and values whose meaning depends on another argument.
 */
const MAGNITUDE_NAMES: readonly RegExp[] = [
  // sizes and lengths (len, addrlen, optlen, msg_len, rseq_len, sigsetsize, …)
  /(^|_)(len|length|size|sz|bufsiz|bytecount|nbytes|argsz|usize|plen|msgsz|addrlen|optlen|sigsetsize|sizemask|gidsetsize)$/,
  // counts
  /^(n|nr|nr_\w+|num|count|vlen|nfds|maxevents|maxnode|backlog|entries|to_submit|min_complete|min_nr|nsems|nsops|liovcnt|riovcnt|max_fd)$/,
  // offsets and positions
  /^(offset|offset_high|offset_low|off|pgoff|pos|pos_h|pos_l)$/,
  // times
  /^(timeout|seconds)$/,
  // ids: IPC keys and ids, timers, watch descriptors, protection keys, CPUs and nodes, aio
  // contexts, cookies, key serials, devices, kcmp indexes, priority targets
  /^(key|msqid|semid|shmid|semnum|timer_id|wd|pkey|cpu|cpu_id|home_node|ctx|ctx_id|cookie64|destringid|dev|idx1|idx2|who)$/,
  // values: futex values, exit status, nice/priority values, message priority and type, aux
  // values, privilege levels, port ranges, entry points, and arguments whose meaning depends on
  // a command (ioctl/fcntl/prctl/keyctl/ipc/ptrace/arch_prctl/sysfs)
  /^(val|val3|error_code|increment|niceval|ioprio|msg_prio|msgtyp|aux|level|on|from|entry|first|second|third|fifth|arg|arg[1-5]|data|unused[12])$/,
];

/** C types of integer parameters that are always magnitudes (sizes, offsets, ids, contexts). */
const MAGNITUDE_TYPES = /^(size_t|ssize_t|loff_t|off_t|key_t|key_serial_t|timer_t|time_t|aio_context_t)$/;

/**
 * The role of one parameter (see ArgRole): ROLE_HINTS first, then from its kind, C type and name.
 * `undefined` when no rule applies — generation fails then (schemas/gen/generate.ts), so that no
 * argument is ever a rule candidate by default.
 */
export function argRole(syscall: string, p: Param, spec: GenArgSpec): ArgRole | undefined {
  const hint = ROLE_HINTS[`${syscall}.${p.name}`];
  if (hint !== undefined) return hint;
  const t = p.type
    .replace(/\bconst\b/g, "")
    .replace(/\s+/g, " ")
    .trim();
  switch (spec.kind) {
    case "fd":
      return "fd";
    case "dirfd":
      return "dirfd";
    case "path":
      return "path";
    case "struct":
      return "struct";
    case "string":
      return "buffer";
    case "pointer":
      // an address in an integer type (mmap addr, brk, madvise start, clone newsp/tls) is a value
      return isPointer(t) ? "pointer" : "magnitude";
    case "flags":
      return "flags";
    case "enum":
      return spec.table === "socket_domain" ? "family" : "enum";
    case "signal":
      return "enum";
    case "mode":
      return "mode";
    case "pid":
    case "uid":
      return "magnitude";
    case "number":
      if (MAGNITUDE_TYPES.test(t)) return "magnitude";
      if (ENUM_NUMBER_NAMES.test(p.name)) return "enum";
      if (MAGNITUDE_NAMES.some((re) => re.test(p.name))) return "magnitude";
      return undefined;
  }
}

/**
 * Every syscall name in the bundled captures (datasets/captures.yaml, ingested; all x86_64): their
 * arguments must all have a role. test/schemas/arg-roles.test.ts checks this list against the
 * captures.
 */
// prettier-ignore
export const BUNDLED_CAPTURE_SYSCALLS: readonly string[] = [
  "accept4", "access", "arch_prctl", "bind", "brk", "capget", "capset", "chdir", "chmod",
  "clock_nanosleep", "clone", "clone3", "close", "connect", "dup", "dup3", "epoll_create",
  "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_wait", "eventfd2", "execve", "execveat",
  "exit_group", "faccessat2", "fchdir", "fchmodat", "fchownat", "fcntl", "fdatasync", "fstat",
  "fstatfs", "fsync", "futex", "getcwd", "getdents64", "getegid", "geteuid", "getgid",
  "getpeername", "getpid", "getppid", "getrandom", "getrlimit", "getrusage", "getsockname",
  "gettid", "getuid", "ioctl", "keyctl", "listen", "lseek", "madvise", "mkdir", "mkdirat",
  "mknodat", "mmap", "mount", "mprotect", "munmap", "nanosleep", "newfstatat", "open", "openat",
  "openat2", "pipe2", "pivot_root", "prctl", "pread64", "prlimit64", "pwrite64", "pwritev", "read",
  "readlink", "readlinkat", "recvfrom", "recvmsg", "rename", "renameat", "restart_syscall", "rmdir",
  "rseq", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "sched_getaffinity",
  "sched_yield", "seccomp", "sendfile", "sendmsg", "set_robust_list", "set_tid_address", "setgid",
  "setgroups", "sethostname", "setitimer", "setns", "setsid", "setsockopt", "setuid", "shutdown",
  "sigaltstack", "socket", "socketpair", "statfs", "symlinkat", "sysinfo", "tgkill", "umask",
  "umount2", "uname", "unlink", "unlinkat", "unshare", "utimensat", "wait4", "waitid", "write",
  "writev",
];

/**
 * What a PostgreSQL server's recordings usually contain beyond the bundled captures (postmaster,
 * backends, checkpointer, WAL writer: SysV semaphores and shared memory, epoll latches, file
 * extension and syncing, positioned I/O, signalling children).
 */
// prettier-ignore
export const POSTGRES_SYSCALLS: readonly string[] = [
  "accept", "accept4", "bind", "brk", "chdir", "chmod", "clone", "clone3", "close", "connect",
  "copy_file_range", "dup", "dup2", "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_wait",
  "execve", "exit", "exit_group", "fadvise64", "fallocate", "fchmod", "fcntl", "fdatasync", "flock",
  "fstat", "fstatfs", "fsync", "ftruncate", "futex", "getcwd", "getdents64", "getegid", "geteuid",
  "getgid", "getpid", "getppid", "getrandom", "getrlimit", "getrusage", "getsockname",
  "getsockopt", "gettid", "getuid", "ioctl", "kill", "link", "listen", "lseek", "madvise",
  "memfd_create", "mkdir", "mmap", "mprotect", "mremap", "munmap", "nanosleep", "newfstatat",
  "openat", "pipe", "pipe2", "poll", "ppoll", "prctl", "pread64", "preadv", "prlimit64",
  "pselect6", "pwrite64", "pwritev", "read", "readlink", "recvfrom", "recvmsg", "rename", "rmdir",
  "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sched_yield", "select", "semctl", "semget",
  "semop", "semtimedop", "sendmsg", "sendto", "set_robust_list", "set_tid_address", "setitimer",
  "setrlimit", "setsid", "setsockopt", "shmat", "shmctl", "shmdt", "shmget", "shutdown",
  "signalfd4", "socket", "socketpair", "statfs", "symlink", "sync_file_range", "sysinfo", "tgkill",
  "truncate", "umask", "uname", "unlink", "utimensat", "wait4", "write", "writev",
];

/**
 * strace prints clone's arguments as `name=value` with its own labels, in its own order
 * (child_stack=, flags=, parent_tid=, child_tid=, tls=): label -> kernel parameter name.
 */
export const STRACE_NAMED_ARGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  clone: {
    child_stack: "newsp",
    stack: "newsp",
    flags: "clone_flags",
    parent_tid: "parent_tidptr",
    parent_tidptr: "parent_tidptr",
    child_tid: "child_tidptr",
    child_tidptr: "child_tidptr",
    tls: "tls",
  },
};
