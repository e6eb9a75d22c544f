/**
 * Syscalls that public kernel exploits went through, with the CVE and its NVD record. Only entries
 * whose CVE names the syscall (or its interface) as the attack path; the lint reports them when a
 * profile allows them. `severity`: warning for syscalls ordinary workloads rarely need.
 */
export interface DangerousSyscall {
  name: string;
  cves: readonly { id: string; what: string }[];
  severity: "warning" | "info";
}

const nvd = (id: string): string => `https://nvd.nist.gov/vuln/detail/${id}`;
export const CVE_SOURCE = nvd;

export const DANGEROUS_SYSCALLS: readonly DangerousSyscall[] = [
  {
    name: "keyctl",
    severity: "warning",
    cves: [{ id: "CVE-2016-0728", what: "keyring reference-count overflow via KEYCTL_JOIN_SESSION_KEYRING" }],
  },
  {
    name: "bpf",
    severity: "warning",
    cves: [{ id: "CVE-2017-16995", what: "eBPF verifier sign-extension, arbitrary kernel memory access" }],
  },
  {
    name: "perf_event_open",
    severity: "warning",
    cves: [{ id: "CVE-2013-2094", what: "perf_swevent_init out-of-bounds index, local root" }],
  },
  {
    name: "ptrace",
    severity: "warning",
    cves: [{ id: "CVE-2019-13272", what: "PTRACE_TRACEME credential handling, local root" }],
  },
  {
    name: "fsconfig",
    severity: "warning",
    cves: [
      { id: "CVE-2022-0185", what: "legacy_parse_param heap overflow (reachable from a user namespace)" },
    ],
  },
  {
    name: "unshare",
    severity: "warning",
    cves: [
      {
        id: "CVE-2022-0492",
        what: "cgroup v1 release_agent escape after unshare(CLONE_NEWUSER|CLONE_NEWCGROUP)",
      },
    ],
  },
  {
    name: "io_uring_enter",
    severity: "warning",
    cves: [{ id: "CVE-2022-29582", what: "io_uring timeout use-after-free" }],
  },
  {
    name: "io_uring_setup",
    severity: "warning",
    cves: [{ id: "CVE-2022-29582", what: "io_uring timeout use-after-free" }],
  },
  {
    name: "waitid",
    severity: "info",
    cves: [{ id: "CVE-2017-5123", what: "missing access_ok on the siginfo pointer, kernel write" }],
  },
  {
    name: "vmsplice",
    severity: "info",
    cves: [{ id: "CVE-2008-0600", what: "vmsplice_to_pipe missing access check, local root" }],
  },
  {
    name: "splice",
    severity: "info",
    cves: [
      { id: "CVE-2022-0847", what: "Dirty Pipe: uninitialised pipe buffer flags, page-cache overwrite" },
    ],
  },
  {
    name: "madvise",
    severity: "info",
    cves: [{ id: "CVE-2016-5195", what: "Dirty COW: copy-on-write race with MADV_DONTNEED" }],
  },
  {
    name: "setsockopt",
    severity: "info",
    cves: [{ id: "CVE-2021-22555", what: "netfilter IPT_SO_SET_REPLACE heap out-of-bounds write" }],
  },
  {
    name: "personality",
    severity: "info",
    cves: [{ id: "CVE-2009-1895", what: "PER_CLEAR_ON_SETID missed MMAP_PAGE_ZERO, NULL-page mapping" }],
  },
  {
    name: "move_pages",
    severity: "info",
    cves: [{ id: "CVE-2010-0415", what: "do_pages_move unchecked node index, kernel memory read" }],
  },
];
