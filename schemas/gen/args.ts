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

export interface GenArgSpec {
  readonly name: string;
  readonly kind: ArgKind;
  readonly table?: string;
  /** 32 when the C type is 32 bits wide (the kernel ignores the register's upper half) */
  readonly bits?: 32;
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
  "signalfd4.flags": F("open_flags"),
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
