/**
 * The argument table's roles (schemas/gen/args.ts argRole → schemas/generated/syscall-args.ts):
 * every argument of every syscall the bundled captures, a PostgreSQL server or the x86_64 table
 * name has one, and magnitudes (lengths, counts, sizes, timeouts, offsets, addresses, ids) are
 * never rule candidates.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARG_ROLES,
  BUNDLED_CAPTURE_SYSCALLS,
  POSTGRES_SYSCALLS,
  argKind,
  argRole,
} from "../../schemas/gen/args.ts";
import { SYSCALL_ARGS, type ArgRole } from "../../schemas/generated/syscall-args.ts";
import { SYSCALL_NUMBERS } from "../../schemas/generated/syscalls.ts";
import { SECCOMP_RULE_ROLES, isRuleCandidate } from "../../stages/characterize/arg-models.ts";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { ingestBundled } from "../util/bundled-dataset.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";

const role = (syscall: string, arg: string): ArgRole | undefined =>
  SYSCALL_ARGS[syscall]?.find((a) => a.name === arg)?.role;

describe("argument roles", () => {
  it("every argument of the bundled, postgres and x86_64 syscalls has a role", () => {
    const names = new Set([
      ...BUNDLED_CAPTURE_SYSCALLS,
      ...POSTGRES_SYSCALLS,
      ...Object.keys(SYSCALL_NUMBERS.x86_64).filter((n) => SYSCALL_ARGS[n] !== undefined),
    ]);
    for (const n of names) {
      const specs = SYSCALL_ARGS[n];
      expect(specs, n).toBeDefined();
      for (const a of specs!) expect(ARG_ROLES, `${n}.${a.name}`).toContain(a.role);
    }
  });

  it.each([
    ["sendto", "len"],
    ["sendto", "addr_len"],
    ["recvfrom", "size"],
    ["read", "count"],
    ["write", "count"],
    ["pread64", "count"],
    ["pread64", "pos"],
    ["pwrite64", "count"],
    ["pwrite64", "pos"],
    ["mmap", "addr"],
    ["mmap", "len"],
    ["mmap", "off"],
    ["munmap", "addr"],
    ["mprotect", "start"],
    ["madvise", "len"],
    ["brk", "brk"],
    ["epoll_wait", "timeout"],
    ["epoll_wait", "maxevents"],
    ["epoll_pwait", "timeout"],
    ["poll", "timeout"],
    ["poll", "nfds"],
    ["lseek", "offset"],
    ["futex", "val"],
    ["futex", "val3"],
    ["setsockopt", "optlen"],
    ["listen", "backlog"],
    ["semop", "nsops"],
    ["semget", "nsems"],
    ["shmget", "size"],
    ["fallocate", "offset"],
    ["fallocate", "len"],
    ["ftruncate", "length"],
    ["sync_file_range", "nbytes"],
    ["kill", "pid"],
    ["setuid", "uid"],
    ["exit_group", "error_code"],
    ["ioctl", "arg"],
    ["fcntl", "arg"],
    ["prctl", "arg2"],
    ["rseq", "sig"],
    ["clone", "newsp"],
  ])("%s.%s is a magnitude", (syscall, arg) => {
    expect(role(syscall, arg)).toBe("magnitude");
  });

  it("timeouts passed as structures (nanosleep, futex, ppoll) and file modes are not candidates", () => {
    expect(SYSCALL_ARGS.nanosleep!.map((a) => a.role)).toEqual(["struct", "struct"]);
    expect(role("futex", "utime")).toBe("struct");
    expect(role("openat", "mode")).toBe("mode");
    expect(role("umask", "mask")).toBe("mode");
    for (const r of ["magnitude", "mode", "pointer", "buffer", "struct"] as const)
      expect(isRuleCandidate(r), r).toBe(false);
  });

  it.each([
    ["fcntl", "cmd", "enum"],
    ["prctl", "option", "enum"],
    ["lseek", "whence", "enum"],
    ["madvise", "behavior", "enum"],
    ["ioctl", "cmd", "enum"],
    ["setsockopt", "level", "enum"],
    ["rt_sigaction", "sig", "enum"],
    ["shutdown", "how", "enum"],
    ["semctl", "cmd", "enum"],
    ["fadvise64", "advice", "enum"],
    ["socket", "family", "family"],
    ["socketpair", "family", "family"],
    ["socket", "type", "flags"],
    ["futex", "op", "flags"],
    ["clone", "clone_flags", "flags"],
    ["openat", "flags", "flags"],
    ["mmap", "prot", "flags"],
    ["sendto", "flags", "flags"],
    ["fallocate", "mode", "flags"],
    ["shmget", "flag", "flags"],
    ["read", "fd", "fd"],
    ["openat", "dfd", "dirfd"],
    ["openat", "filename", "path"],
  ])("%s.%s is %s", (syscall, arg, expected) => {
    expect(role(syscall, arg)).toBe(expected);
  });

  it("only enum, flags and family arguments can be compared by a seccomp rule", () => {
    expect([...SECCOMP_RULE_ROLES].sort()).toEqual(["enum", "family", "flags"]);
  });

  it("an integer parameter no rule knows has no role (generation then fails)", () => {
    const p = { type: "int", name: "frobnicate" };
    expect(argRole("newcall", p, argKind("newcall", p))).toBeUndefined();
    const q = { type: "size_t", name: "frobnicate" };
    expect(argRole("newcall", q, argKind("newcall", q))).toBe("magnitude");
  });
});

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
let tmp: string;
let ds: string;

describe.skipIf(avail.skipReason !== null)("argument roles of the bundled captures' syscalls", () => {
  beforeAll(async () => {
    ({ tmp, ds } = await ingestBundled("roles"));
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("BUNDLED_CAPTURE_SYSCALLS lists exactly the captures' syscalls, and all their arguments have roles", async () => {
    const rows = await withDb((db) =>
      db.query<{ syscall: string }>(
        `SELECT DISTINCT syscall FROM read_parquet(${quoteString(join(ds, "events", "*", "*", "*.parquet"))})
         ORDER BY syscall`,
      ),
    );
    const names = rows.map((r) => r.syscall);
    expect(names).toEqual([...BUNDLED_CAPTURE_SYSCALLS].sort());
    for (const n of names) {
      expect(SYSCALL_ARGS[n], n).toBeDefined();
      for (const a of SYSCALL_ARGS[n]!) expect(ARG_ROLES, `${n}.${a.name}`).toContain(a.role);
    }
  });
});
