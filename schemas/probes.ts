/**
 * The attack probes: what each one tries, the system call it makes and the C source that makes it
 * (datasets/probes/NAME.c, built with `gcc -static`). Each probe prints one line
 * `probe NAME errno=N` (0 when the call succeeded) and exits with that errno (0 on success), so
 * the answer survives even when the profile denies write(2).
 */

export interface Probe {
  name: string;
  syscall: string;
  what: string;
  /** argument values the probe passes, by index, for the verdict of argument rules. */
  args: Record<number, number>;
}

// Values from the uapi headers (linux/sched.h, linux/socket.h, linux/personality.h).
const CLONE_NEWNS = 0x00020000;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWNET = 0x40000000;
const SIGCHLD = 17;

export const PROBES: readonly Probe[] = [
  { name: "unshare-userns", syscall: "unshare", what: "unshare(CLONE_NEWUSER)", args: { 0: CLONE_NEWUSER } },
  {
    name: "clone-namespaces",
    syscall: "clone",
    what: "clone(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWNET|SIGCHLD)",
    args: { 0: CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | SIGCHLD },
  },
  { name: "mount", syscall: "mount", what: 'mount("none", "/mnt", "tmpfs", 0, NULL)', args: { 3: 0 } },
  { name: "keyctl", syscall: "keyctl", what: "keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL)", args: { 0: 1 } },
  {
    name: "add-key",
    syscall: "add_key",
    what: 'add_key("user", "sandmine", "x", 1, KEY_SPEC_SESSION_KEYRING)',
    args: {},
  },
  { name: "bpf", syscall: "bpf", what: "bpf(BPF_MAP_CREATE, array map)", args: { 0: 0 } },
  { name: "ptrace", syscall: "ptrace", what: "ptrace(PTRACE_TRACEME)", args: { 0: 0 } },
  {
    name: "perf-event-open",
    syscall: "perf_event_open",
    what: "perf_event_open(task-clock, self)",
    args: {},
  },
  { name: "userfaultfd", syscall: "userfaultfd", what: "userfaultfd(O_CLOEXEC)", args: {} },
  { name: "io-uring-setup", syscall: "io_uring_setup", what: "io_uring_setup(8, params)", args: { 0: 8 } },
  {
    name: "socket-packet",
    syscall: "socket",
    what: "socket(AF_PACKET, SOCK_RAW, ETH_P_ALL)",
    args: { 0: 17, 1: 3, 2: 0x300 },
  },
  {
    name: "socket-vsock",
    syscall: "socket",
    what: "socket(AF_VSOCK, SOCK_STREAM, 0)",
    args: { 0: 40, 1: 1, 2: 0 },
  },
  {
    name: "socket-alg",
    syscall: "socket",
    what: "socket(AF_ALG, SOCK_SEQPACKET, 0)",
    args: { 0: 38, 1: 5, 2: 0 },
  },
  {
    name: "personality",
    syscall: "personality",
    what: "personality(PER_LINUX|READ_IMPLIES_EXEC)",
    args: { 0: 0x0400000 },
  },
  { name: "init-module", syscall: "init_module", what: 'init_module(buf, 16, "")', args: {} },
  { name: "kexec-load", syscall: "kexec_load", what: "kexec_load(0, 0, NULL, 0)", args: {} },
  {
    name: "open-by-handle-at",
    syscall: "open_by_handle_at",
    what: "open_by_handle_at(AT_FDCWD, handle, O_RDONLY)",
    args: {},
  },
  {
    name: "setns",
    syscall: "setns",
    what: 'setns(open("/proc/1/ns/mnt"), CLONE_NEWNS)',
    args: { 1: CLONE_NEWNS },
  },
];

export const PROBE_NAMES: readonly string[] = PROBES.map((p) => p.name);
