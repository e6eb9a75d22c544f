import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { argSpecs, lookupSymbol, syscallName, syscallNumber } from "../../schemas/consts.ts";
import { AMBIGUOUS_SYMBOLS, CONST_TABLES, SYMBOLS } from "../../schemas/generated/consts.ts";
import { SYSCALL_ARGS } from "../../schemas/generated/syscall-args.ts";
import { SYSCALL_NUMBERS } from "../../schemas/generated/syscalls.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("constant tables", () => {
  it.each([
    ["O_RDONLY", "open_flags", 0],
    ["O_CLOEXEC", "open_flags", 0x80000],
    ["AT_FDCWD", "at_flags", -100],
    ["AF_INET", "socket_domain", 2],
    ["AF_INET6", "socket_domain", 10],
    ["AF_UNIX", "socket_domain", 1],
    ["SOCK_CLOEXEC", "socket_type", 0x80000],
    ["CLONE_NEWNS", "clone_flags", 0x20000],
    ["CLONE_THREAD", "clone_flags", 0x10000],
    ["CLONE_CLEAR_SIGHAND", "clone_flags", 0x100000000],
    ["PROT_EXEC", "mmap_prot", 4],
    ["MAP_PRIVATE", "mmap_flags", 2],
    ["MAP_ANONYMOUS", "mmap_flags", 0x20],
    ["F_SETFD", "fcntl_cmd", 2],
    ["F_DUPFD_CLOEXEC", "fcntl_cmd", 1030],
    ["FUTEX_WAIT_PRIVATE", "futex_op", 128],
    ["PR_SET_SECCOMP", "prctl_option", 22],
    ["PR_SET_NO_NEW_PRIVS", "prctl_option", 38],
    ["TCGETS", "ioctl_request", 0x5401],
    ["FIONBIO", "ioctl_request", 0x5421],
    ["FIONREAD", "ioctl_request", 0x541b],
    ["SIOCGIFCONF", "ioctl_request", 0x8912],
    ["TIOCGPTN", "ioctl_request", 0x80045430],
    ["EPOLL_CTL_ADD", "epoll_op", 1],
    ["SIGCHLD", "signals", 17],
    ["SIGKILL", "signals", 9],
    ["SIGRTMIN", "signals", 32],
    ["SIGRT_1", "signals", 33],
    ["ENOENT", "errno", 2],
    ["EAGAIN", "errno", 11],
    ["ERESTARTSYS", "errno", 512],
    ["SECCOMP_SET_MODE_FILTER", "seccomp_op", 1],
    ["SOL_SOCKET", "sol_level", 1],
    ["SOL_TCP", "sol_level", 6],
  ] as const)("%s in %s = %d", (name, table, value) => {
    expect(lookupSymbol(name, table)).toBe(value);
    expect(lookupSymbol(name)).toBe(value);
  });

  it("combines flags the way strace prints them", () => {
    const v = ["O_RDONLY", "O_CLOEXEC"].reduce((acc, n) => acc | lookupSymbol(n, "open_flags")!, 0);
    expect(v).toBe(0x80000);
  });

  it("keeps every value a safe integer and every table non-empty", () => {
    for (const [name, t] of Object.entries(CONST_TABLES)) {
      const values = Object.values(t.values) as number[];
      expect(values.length, name).toBeGreaterThan(0);
      for (const v of values) expect(Number.isSafeInteger(v), name).toBe(true);
    }
  });

  it("leaves ambiguous names out of SYMBOLS", () => {
    for (const name of AMBIGUOUS_SYMBOLS) expect(SYMBOLS[name]).toBeUndefined();
    expect(lookupSymbol("NOT_A_SYMBOL")).toBeUndefined();
  });
});

describe("syscall numbers", () => {
  it.each([
    ["x86_64", "openat", 257],
    ["x86_64", "read", 0],
    ["x86_64", "clone3", 435],
    ["aarch64", "openat", 56],
    ["aarch64", "newfstatat", 79],
    ["i386", "mmap2", 192],
    ["i386", "_llseek", 140],
  ] as const)("%s %s = %d", (arch, name, nr) => {
    expect(syscallNumber(arch, name)).toBe(nr);
    expect(syscallName(arch, nr)).toBe(name);
  });

  it("returns undefined for unknown arches and names", () => {
    expect(syscallNumber("mips", "read")).toBeUndefined();
    expect(syscallNumber("x86_64", "no_such_call")).toBeUndefined();
    expect(syscallName("x86_64", 100000)).toBeUndefined();
  });
});

describe("syscall arguments", () => {
  const kinds = (name: string): string[] | undefined => argSpecs(name)?.map((a) => a.kind);

  it("describes common calls", () => {
    expect(kinds("openat")).toEqual(["dirfd", "path", "flags", "mode"]);
    expect(argSpecs("openat")?.[2]?.table).toBe("open_flags");
    expect(kinds("read")).toEqual(["fd", "string", "number"]);
    expect(kinds("close")).toEqual(["fd"]);
    expect(argSpecs("socket")?.map((a) => a.table)).toEqual(["socket_domain", "socket_type", "ipproto"]);
    expect(kinds("mmap")).toEqual(["pointer", "number", "flags", "flags", "fd", "number"]);
    expect(argSpecs("mmap")?.map((a) => a.table)).toEqual([
      undefined,
      undefined,
      "mmap_prot",
      "mmap_flags",
      undefined,
      undefined,
    ]);
    expect(argSpecs("clone")?.[0]).toEqual({
      name: "clone_flags",
      kind: "flags",
      role: "flags",
      table: "clone_flags",
    });
    expect(argSpecs("ioctl")?.map((a) => [a.kind, a.table])).toEqual([
      ["fd", undefined],
      ["enum", "ioctl_request"],
      ["number", undefined],
    ]);
    expect(argSpecs("mmap", "i386")).toEqual([{ name: "arg", kind: "struct", role: "struct" }]);
  });

  it("has an entry for every numbered syscall except the listed unimplemented ones", () => {
    const names = new Set(Object.values(SYSCALL_NUMBERS).flatMap((t) => Object.keys(t)));
    const covered = [...names].filter((n) => SYSCALL_ARGS[n] !== undefined);
    expect(covered.length).toBeGreaterThan(names.size - 30);
  });
});

describe("generator", () => {
  it("is up to date with the installed headers (--check exits 0)", async () => {
    const run = promisify(execFile);
    const { stdout } = await run("npx", ["tsx", "schemas/gen/generate.ts", "--check"], { cwd: ROOT });
    expect(stdout).toContain("up to date");
  });
});
