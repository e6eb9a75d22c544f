/**
 * Which header symbols make up each constant table. Every table names its source headers; the
 * values themselves always come from the headers (see cpp.ts), never from this file, except for
 * the few derived entries listed in `derived` (strace's SIGRT_n names), the kernel-internal
 * errno values read from kernel-internal.txt and the tables without parts, whose values are the
 * kernel-internal constants of kernel-internal-consts.txt.
 */

export type EnvName = "kernel" | "glibc";

export interface TablePart {
  readonly env: EnvName;
  /** Headers whose symbols are read but not collected (macro references, guards). */
  readonly context?: readonly string[];
  /** Headers whose symbols are collected, in order. */
  readonly files: readonly string[];
  readonly include: RegExp;
  readonly exclude?: RegExp;
  /** Only `#define X` at column 0 with no space after '#'; `# define X` are sub-values. */
  readonly topLevelOnly?: boolean;
}

export interface TableSpec {
  readonly name: string;
  readonly kind: "flags" | "enum";
  readonly note?: string;
  readonly parts: readonly TablePart[];
}

const X86 = "x86_64-linux-gnu";
const FCNTL = "asm-generic/fcntl.h";
const COMPAT = ["linux/libc-compat.h"];

/** Predefined macros of the two reading environments (x86_64, LP64, userspace). */
export const PREDEFINED: Readonly<Record<EnvName, Readonly<Record<string, string>>>> = {
  kernel: { __BITS_PER_LONG: "64", __x86_64__: "1", __linux__: "1", __LP64__: "1" },
  glibc: {
    __BITS_PER_LONG: "64",
    __WORDSIZE: "64",
    __x86_64__: "1",
    __linux__: "1",
    __LP64__: "1",
    __GLIBC__: "2",
    __USE_MISC: "1",
    __USE_GNU: "1",
    __USE_POSIX: "1",
    __USE_POSIX2: "1",
    __USE_POSIX199309: "1",
    __USE_POSIX199506: "1",
    __USE_XOPEN: "1",
    __USE_XOPEN_EXTENDED: "1",
    __USE_UNIX98: "1",
    __USE_XOPEN2K: "1",
    __USE_XOPEN2K8: "1",
    __USE_ATFILE: "1",
    __USE_LARGEFILE64: "1",
    __USE_ISOC99: "1",
    __USE_ISOC11: "1",
  },
};

export const TABLES: readonly TableSpec[] = [
  {
    name: "open_flags",
    kind: "flags",
    note: "Kernel values (asm-generic/fcntl.h, used by x86_64). O_LARGEFILE is the kernel's 0x8000: glibc defines it as 0 on x86_64, but strace decodes the bit the kernel sees (32-bit tracees, /proc fdinfo).",
    parts: [{ env: "kernel", files: [FCNTL], include: /^O_[A-Z0-9_]+$/ }],
  },
  {
    name: "at_flags",
    kind: "flags",
    note: "AT_FDCWD (-100) is a special dirfd value, not a bit; AT_EACCESS and AT_REMOVEDIR share 0x200.",
    parts: [{ env: "kernel", files: ["linux/fcntl.h"], include: /^AT_[A-Z0-9_]+$/ }],
  },
  {
    name: "access_mode",
    kind: "flags",
    note: "Not in the kernel uapi headers (the kernel uses MAY_*); taken from glibc unistd.h.",
    parts: [{ env: "glibc", files: ["unistd.h"], include: /^[RWXF]_OK$/ }],
  },
  {
    name: "clone_flags",
    kind: "flags",
    note: "The low byte (CSIGNAL) of clone flags is the exit signal: decode it with the signals table.",
    parts: [
      {
        env: "kernel",
        files: ["linux/sched.h"],
        include: /^CLONE_[A-Z0-9_]+$/,
        exclude: /^CLONE_ARGS_SIZE_VER\d+$/,
      },
    ],
  },
  {
    name: "socket_domain",
    kind: "enum",
    parts: [
      { env: "glibc", files: [`${X86}/bits/socket.h`], include: /^[AP]F_[A-Z0-9_]+$/, exclude: /_MAX$/ },
    ],
  },
  {
    name: "socket_type",
    kind: "flags",
    note: "SOCK_* types (enum) and the SOCK_NONBLOCK/SOCK_CLOEXEC flags, from glibc bits/socket_type.h.",
    parts: [{ env: "glibc", files: [`${X86}/bits/socket_type.h`], include: /^SOCK_[A-Z0-9_]+$/ }],
  },
  {
    name: "ipproto",
    kind: "enum",
    parts: [
      {
        env: "kernel",
        context: COMPAT,
        files: ["linux/in.h", "linux/in6.h"],
        include: /^IPPROTO_[A-Z0-9_]+$/,
        exclude: /^IPPROTO_MAX$/,
      },
    ],
  },
  {
    name: "mmap_prot",
    kind: "flags",
    parts: [{ env: "kernel", files: ["asm-generic/mman-common.h"], include: /^PROT_[A-Z0-9_]+$/ }],
  },
  {
    name: "mmap_flags",
    kind: "flags",
    note: "MAP_SHARED/MAP_PRIVATE/MAP_SHARED_VALIDATE form a 2-bit type field; MAP_HUGE_* encode a page size in bits 26..31.",
    parts: [
      {
        env: "kernel",
        context: ["asm-generic/hugetlb_encode.h"],
        files: ["linux/mman.h", "asm-generic/mman-common.h", "asm-generic/mman.h", `${X86}/asm/mman.h`],
        include: /^MAP_[A-Z0-9_]+$/,
        exclude: /^MAP_(TYPE|HUGE_SHIFT|HUGE_MASK)$/,
      },
    ],
  },
  {
    name: "mremap_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/mman.h"], include: /^MREMAP_[A-Z0-9_]+$/ }],
  },
  {
    name: "madvise",
    kind: "enum",
    parts: [{ env: "kernel", files: ["asm-generic/mman-common.h"], include: /^MADV_[A-Z0-9_]+$/ }],
  },
  {
    name: "fcntl_cmd",
    kind: "enum",
    note: "F_GETLK64/F_SETLK64/F_SETLKW64 are the values userspace sees on x86_64 too (asm-generic/fcntl.h guards them with CONFIG_64BIT, which userspace never defines).",
    parts: [
      {
        env: "kernel",
        files: [FCNTL, "linux/fcntl.h"],
        include: /^F_[A-Z0-9_]+$/,
        exclude: /^F_(OWNER_\w+|RDLCK|WRLCK|UNLCK|EXLCK|SHLCK|SEAL_\w+|LINUX_SPECIFIC_BASE|OK|INPROGRESS)$/,
      },
    ],
  },
  {
    name: "fd_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: [FCNTL], include: /^FD_CLOEXEC$/ }],
  },
  {
    name: "futex_values",
    kind: "enum",
    note: "Values of futex arguments other than the operation (val3 of FUTEX_WAIT_BITSET).",
    parts: [{ env: "kernel", files: ["linux/futex.h"], include: /^FUTEX_BITSET_MATCH_ANY$/ }],
  },
  {
    name: "netlink_protocol",
    kind: "enum",
    note: "socket(AF_NETLINK, …, protocol).",
    parts: [
      {
        env: "kernel",
        files: ["linux/netlink.h"],
        include:
          /^NETLINK_(ROUTE|UNUSED|USERSOCK|FIREWALL|SOCK_DIAG|NFLOG|XFRM|SELINUX|ISCSI|AUDIT|FIB_LOOKUP|CONNECTOR|NETFILTER|IP6_FW|DNRTMSG|KOBJECT_UEVENT|GENERIC|SCSITRANSPORT|ECRYPTFS|RDMA|CRYPTO|SMC)$/,
      },
    ],
  },
  {
    name: "ipv6_options",
    kind: "enum",
    note: "setsockopt/getsockopt option names at level IPPROTO_IPV6.",
    parts: [
      {
        env: "kernel",
        files: ["linux/in6.h"],
        include:
          /^IPV6_(V6ONLY|TCLASS|RECVPKTINFO|PKTINFO|UNICAST_HOPS|MULTICAST_IF|MULTICAST_HOPS|MULTICAST_LOOP|JOIN_GROUP|LEAVE_GROUP|MTU_DISCOVER|MTU|RECVERR|FLOWINFO)$/,
      },
    ],
  },
  {
    name: "futex_op",
    kind: "flags",
    note: "An operation (FUTEX_WAIT..., or its *_PRIVATE form) OR-ed with FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME: strace prints e.g. FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME.",
    parts: [
      {
        env: "kernel",
        files: ["linux/futex.h"],
        include:
          /^FUTEX_(WAIT|WAKE|FD|REQUEUE|CMP_REQUEUE|WAKE_OP|LOCK_PI|UNLOCK_PI|TRYLOCK_PI|WAIT_BITSET|WAKE_BITSET|WAIT_REQUEUE_PI|CMP_REQUEUE_PI|LOCK_PI2)(_PRIVATE)?$|^FUTEX_PRIVATE_FLAG$|^FUTEX_CLOCK_REALTIME$/,
      },
    ],
  },
  {
    name: "prctl_option",
    kind: "enum",
    note: "Only first-argument options: linux/prctl.h writes them as `#define PR_...`; sub-values (second-argument values) are written `# define PR_...` and are left out.",
    parts: [{ env: "kernel", files: ["linux/prctl.h"], include: /^PR_[A-Z0-9_]+$/, topLevelOnly: true }],
  },
  {
    name: "personality",
    kind: "enum",
    note: "Execution domains (PER_*) and the flag bits OR-ed into them (ADDR_NO_RANDOMIZE, ...).",
    parts: [{ env: "kernel", files: ["linux/personality.h"], include: /^[A-Z][A-Z0-9_]+$/ }],
  },
  {
    name: "epoll_op",
    kind: "enum",
    parts: [{ env: "kernel", context: [FCNTL], files: ["linux/eventpoll.h"], include: /^EPOLL_CTL_[A-Z]+$/ }],
  },
  {
    name: "epoll_events",
    kind: "flags",
    parts: [{ env: "kernel", context: [FCNTL], files: ["linux/eventpoll.h"], include: /^EPOLL[A-Z]+$/ }],
  },
  {
    name: "epoll_create_flags",
    kind: "flags",
    parts: [{ env: "kernel", context: [FCNTL], files: ["linux/eventpoll.h"], include: /^EPOLL_CLOEXEC$/ }],
  },
  {
    name: "poll_events",
    kind: "flags",
    parts: [
      {
        env: "kernel",
        files: ["asm-generic/poll.h", `${X86}/asm/poll.h`],
        include: /^POLL[A-Z]+$/,
      },
    ],
  },
  {
    name: "ioctl_request",
    kind: "enum",
    note: "Plain request numbers plus _IO/_IOR/_IOW encodings whose size argument is in IOCTL_TYPE_SIZES (schemas/gen/cpp.ts).",
    parts: [
      {
        env: "kernel",
        files: ["asm-generic/ioctls.h", "asm-generic/sockios.h", "linux/sockios.h"],
        include: /^(TC[A-Z0-9]+|TIOC[A-Z0-9_]+|FIO[A-Z0-9_]+|SIOC[A-Z0-9_]+)$/,
        exclude:
          /^(TIOCPKT_[A-Z]+|TIOCSER_TEMT|SIOCDEVPRIVATE|SIOCPROTOPRIVATE|SIOCIWFIRSTPRIV|SIOCIWLASTPRIV|SIOC_STAMP)$/,
      },
    ],
  },
  {
    name: "signals",
    kind: "enum",
    note: "x86_64 numbering. SIGRTMAX resolves through _NSIG of asm-generic/signal.h (64). SIGRT_1..SIGRT_32 are derived: strace prints signal SIGRTMIN+n as SIGRT_n.",
    parts: [
      {
        env: "kernel",
        context: ["asm-generic/signal.h"],
        files: [`${X86}/asm/signal.h`],
        include: /^SIG[A-Z0-9]+$/,
        exclude: /^SIGSTKSZ$/,
      },
    ],
  },
  {
    name: "errno",
    kind: "enum",
    note: "uapi errno values plus the kernel-internal ones (>= 512) from schemas/gen/kernel-internal.txt.",
    parts: [
      {
        env: "kernel",
        files: ["asm-generic/errno-base.h", "asm-generic/errno.h"],
        include: /^E[A-Z0-9]+$/,
      },
    ],
  },
  {
    name: "seccomp_op",
    kind: "enum",
    note: "Operations (SECCOMP_SET_MODE_*, SECCOMP_GET_*), the prctl/seccomp modes (SECCOMP_MODE_*, whose values overlap the operations) and the filter flags.",
    parts: [
      {
        env: "kernel",
        files: ["linux/seccomp.h"],
        include: /^SECCOMP_(SET_MODE_[A-Z]+|GET_[A-Z_]+|MODE_[A-Z]+|FILTER_FLAG_[A-Z_]+)$/,
      },
    ],
  },
  {
    name: "seccomp_filter_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/seccomp.h"], include: /^SECCOMP_FILTER_FLAG_[A-Z_]+$/ }],
  },
  {
    name: "seccomp_ret",
    kind: "enum",
    note: "Filter return actions (upper 16 bits; the lower 16 bits carry data such as the errno).",
    parts: [
      {
        env: "kernel",
        files: ["linux/seccomp.h"],
        include: /^SECCOMP_RET_[A-Z_]+$/,
        exclude: /^SECCOMP_RET_(ACTION|ACTION_FULL|DATA)$/,
      },
    ],
  },
  {
    name: "arch_prctl",
    kind: "enum",
    parts: [{ env: "kernel", files: [`${X86}/asm/prctl.h`], include: /^ARCH_[A-Z0-9_]+$/ }],
  },
  {
    name: "rlimit_resource",
    kind: "enum",
    parts: [
      {
        env: "kernel",
        files: ["asm-generic/resource.h"],
        include: /^RLIMIT_[A-Z]+$/,
      },
    ],
  },
  {
    name: "clock_id",
    kind: "enum",
    parts: [{ env: "kernel", files: ["linux/time.h"], include: /^CLOCK_[A-Z0-9_]+$/ }],
  },
  {
    name: "timer_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/time.h"], include: /^TIMER_ABSTIME$/ }],
  },
  {
    name: "seek_whence",
    kind: "enum",
    parts: [{ env: "kernel", files: ["linux/fs.h"], include: /^SEEK_[A-Z]+$/, exclude: /^SEEK_MAX$/ }],
  },
  {
    name: "sigprocmask_how",
    kind: "enum",
    parts: [
      {
        env: "kernel",
        files: ["asm-generic/signal-defs.h"],
        include: /^SIG_(BLOCK|UNBLOCK|SETMASK)$/,
      },
    ],
  },
  {
    name: "wait_options",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/wait.h"], include: /^(W[A-Z]+|__W[A-Z]+)$/ }],
  },
  {
    name: "waitid_which",
    kind: "enum",
    parts: [{ env: "kernel", files: ["linux/wait.h"], include: /^P_[A-Z]+$/ }],
  },
  {
    name: "msg_flags",
    kind: "flags",
    note: "Not in the kernel uapi headers; from glibc bits/socket.h (same values as the kernel's include/linux/socket.h).",
    parts: [{ env: "glibc", files: [`${X86}/bits/socket.h`], include: /^MSG_[A-Z_]+$/ }],
  },
  {
    name: "sol_level",
    kind: "enum",
    note: "SOL_SOCKET from the kernel; the protocol levels strace prints (SOL_IP, SOL_TCP, SOL_IPV6, ...) from glibc, which mirrors the kernel's include/linux/socket.h.",
    parts: [
      { env: "kernel", files: ["asm-generic/socket.h"], include: /^SOL_SOCKET$/ },
      {
        env: "glibc",
        files: [`${X86}/bits/socket.h`, `${X86}/bits/in.h`, "netinet/in.h", "netinet/tcp.h", "netinet/udp.h"],
        include: /^SOL_[A-Z0-9_]+$/,
      },
    ],
  },
  {
    name: "socket_options",
    kind: "enum",
    note: "SOL_SOCKET-level options (x86_64 uses asm-generic/socket.h); SO_TIMESTAMP* and SO_RCVTIMEO/SO_SNDTIMEO resolve to their *_OLD values on 64-bit.",
    parts: [
      {
        env: "kernel",
        files: ["asm-generic/sockios.h", "asm-generic/socket.h"],
        include: /^SO_[A-Z0-9_]+$/,
      },
    ],
  },
  {
    name: "tcp_options",
    kind: "enum",
    parts: [
      {
        env: "kernel",
        context: COMPAT,
        files: ["linux/tcp.h"],
        include: /^TCP_[A-Z0-9_]+$/,
        exclude:
          /^TCP_(MSS_\w+|REPAIR_ON|REPAIR_OFF|REPAIR_OFF_NO_WP|MD5SIG_MAXKEYLEN|MD5SIG_FLAG_\w+|RECEIVE_ZEROCOPY_\w+|NO_QUEUE|RECV_QUEUE|SEND_QUEUE|QUEUES_NR|FASTOPEN_CLIENT_FAIL|FASTOPEN_COOKIE_MIN|FASTOPEN_COOKIE_MAX|FASTOPEN_COOKIE_SIZE|FASTOPEN_KEY_LENGTH|FASTOPEN_KEY_MAX|FASTOPEN_KEY_BUF_LENGTH|CA_\w+|NLA_\w+|COOKIE_\w+|S_DATA_\w+|THIN_\w+_BAD|TX_DELAY_MAX|FLAG_\w+|DATA_OFFSET|RESERVED_BITS|SAVED_SYN_MAX|ULP_NAME_MAX|CC_INFO_MAX|INFINITE_SSTHRESH|HANDSHAKE_MAX)$/,
      },
    ],
  },
  {
    name: "mode_bits",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/stat.h"], include: /^S_I(F[A-Z]+|SUID|SGID|SVTX)$/ }],
  },
  {
    name: "eventfd_flags",
    kind: "flags",
    note: "linux-libc-dev 6.1 has no uapi eventfd header; from glibc bits/eventfd.h.",
    parts: [{ env: "glibc", files: [`${X86}/bits/eventfd.h`], include: /^EFD_[A-Z]+$/ }],
  },
  {
    name: "timerfd",
    kind: "flags",
    parts: [
      {
        env: "kernel",
        context: [FCNTL],
        files: ["linux/timerfd.h"],
        include: /^TFD_[A-Z_]+$/,
        exclude: /^TFD_IOC_/,
      },
    ],
  },
  {
    name: "inotify",
    kind: "flags",
    parts: [{ env: "kernel", context: [FCNTL], files: ["linux/inotify.h"], include: /^IN_[A-Z_]+$/ }],
  },
  {
    name: "splice_flags",
    kind: "flags",
    note: "Not in the kernel uapi headers; from glibc bits/fcntl-linux.h.",
    parts: [{ env: "glibc", files: [`${X86}/bits/fcntl-linux.h`], include: /^SPLICE_F_[A-Z]+$/ }],
  },
  {
    name: "mount_flags",
    kind: "flags",
    parts: [
      {
        env: "kernel",
        files: ["linux/mount.h"],
        include: /^MS_[A-Z_]+$/,
        exclude: /^MS_(RMT_MASK|MGC_MSK)$/,
      },
    ],
  },
  {
    name: "umount_flags",
    kind: "flags",
    note: "Not in the kernel uapi headers; from glibc sys/mount.h.",
    parts: [{ env: "glibc", files: [`${X86}/sys/mount.h`], include: /^(MNT_[A-Z]+|UMOUNT_NOFOLLOW)$/ }],
  },
  {
    name: "getrandom_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/random.h"], include: /^GRND_[A-Z]+$/ }],
  },
  {
    name: "memfd_flags",
    kind: "flags",
    parts: [
      {
        env: "kernel",
        context: ["asm-generic/hugetlb_encode.h"],
        files: ["linux/memfd.h"],
        include: /^MFD_[A-Z0-9_]+$/,
        exclude: /^MFD_HUGE_(SHIFT|MASK)$/,
      },
    ],
  },
  {
    name: "statx_mask",
    kind: "flags",
    parts: [
      {
        env: "kernel",
        files: ["linux/stat.h"],
        include: /^STATX_[A-Z_]+$/,
        exclude: /^STATX_(ATTR_\w+|_RESERVED)$/,
      },
    ],
  },
  {
    name: "statx_attributes",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/stat.h"], include: /^STATX_ATTR_[A-Z_]+$/ }],
  },
  {
    name: "rename_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/fs.h"], include: /^RENAME_[A-Z]+$/ }],
  },
  {
    name: "mlockall_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: ["asm-generic/mman.h"], include: /^MCL_[A-Z]+$/ }],
  },
  {
    name: "msync_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: ["asm-generic/mman-common.h"], include: /^MS_(ASYNC|INVALIDATE|SYNC)$/ }],
  },
  {
    name: "prctl_subvalue",
    kind: "enum",
    note: "Second-argument values of prctl options (`# define PR_...` in linux/prctl.h: PR_CAP_AMBIENT_RAISE, …). They overlap across options, so they are looked up by name only where unambiguous.",
    parts: [{ env: "kernel", files: ["linux/prctl.h"], include: /^PR_[A-Z0-9_]+$/ }],
  },
  {
    name: "capability",
    kind: "enum",
    note: "Capability numbers (prctl PR_CAPBSET_READ/DROP, PR_CAP_AMBIENT_*), as strace prints them.",
    parts: [
      { env: "kernel", files: ["linux/capability.h"], include: /^CAP_[A-Z_]+$/, exclude: /^CAP_LAST_CAP$/ },
    ],
  },
  {
    name: "fadvise_advice",
    kind: "enum",
    parts: [{ env: "kernel", files: ["linux/fadvise.h"], include: /^POSIX_FADV_[A-Z]+$/ }],
  },
  {
    name: "rusage_who",
    kind: "enum",
    parts: [{ env: "kernel", files: ["linux/resource.h"], include: /^RUSAGE_[A-Z]+$/ }],
  },
  {
    name: "itimer_which",
    kind: "enum",
    parts: [{ env: "kernel", files: ["linux/time.h"], include: /^ITIMER_[A-Z]+$/ }],
  },
  {
    name: "signalfd_flags",
    kind: "flags",
    parts: [{ env: "kernel", context: [FCNTL], files: ["linux/signalfd.h"], include: /^SFD_[A-Z]+$/ }],
  },
  {
    name: "sync_file_range_flags",
    kind: "flags",
    parts: [{ env: "kernel", files: ["linux/fs.h"], include: /^SYNC_FILE_RANGE_[A-Z_]+$/ }],
  },
  {
    name: "ipc_flags",
    kind: "flags",
    note: "IPC_CREAT | IPC_EXCL | IPC_NOWAIT of msgget/semget/shmget (the permission bits ride along as octal).",
    parts: [{ env: "kernel", files: ["linux/ipc.h"], include: /^IPC_(CREAT|EXCL|NOWAIT)$/ }],
  },
  {
    name: "ipc_cmd",
    kind: "enum",
    parts: [
      { env: "kernel", files: ["linux/ipc.h"], include: /^IPC_(RMID|SET|STAT|INFO)$/ },
      {
        env: "kernel",
        context: ["linux/ipc.h"],
        files: ["linux/shm.h"],
        include: /^SHM_(LOCK|UNLOCK|STAT|INFO|STAT_ANY)$/,
      },
    ],
  },
  {
    name: "shutdown_how",
    kind: "enum",
    note: "SHUT_RD/WR/RDWR: a glibc enum (the kernel's are in include/linux/net.h, not uapi).",
    parts: [{ env: "glibc", files: [`${X86}/sys/socket.h`], include: /^SHUT_[A-Z]+$/ }],
  },
  {
    name: "suid_dump",
    kind: "enum",
    note: "prctl PR_SET_DUMPABLE values; kernel-internal (schemas/gen/kernel-internal-consts.txt).",
    parts: [],
  },
  {
    name: "key_perm",
    kind: "flags",
    note: "keyctl KEYCTL_SETPERM mask; kernel-internal (schemas/gen/kernel-internal-consts.txt).",
    parts: [],
  },
  {
    name: "keyctl_cmd",
    kind: "enum",
    parts: [
      {
        env: "kernel",
        files: ["linux/keyctl.h"],
        include: /^KEYCTL_[A-Z_]+$/,
        exclude: /^KEYCTL_(CAPS[0-9]_.*|SUPPORTS_.*|MOVE_EXCL)$/,
      },
    ],
  },
];
