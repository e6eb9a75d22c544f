/**
 * libc's call graph (Debian bookworm's glibc 2.36, disassembled by binutils objdump): per
 * exported function, the syscalls its closure reaches; the cache by build id.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSCALL_NUMBERS } from "../../schemas/generated/syscalls.ts";
import type { BinaryCode } from "../../stages/reach/binary.ts";
import { analyzeFile } from "../../pipeline/reach/analyze-file.ts";
import { programReach } from "../../stages/reach/program.ts";
import { LIBC, skipWithout } from "./host-binaries.ts";

const skip = skipWithout([LIBC], true);
const nr = (name: string): number => (SYSCALL_NUMBERS.x86_64 as Record<string, number>)[name]!;

describe.skipIf(skip !== null)(`libc closures${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let cache: string;
  let code: BinaryCode;
  beforeAll(async () => {
    cache = mkdtempSync(join(tmpdir(), "sandmine-reach-libc-"));
    const a = await analyzeFile(LIBC, LIBC, { closures: true, cacheDir: cache });
    expect(a.cached).toBe(false);
    code = a.code;
  }, 300_000);
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it("a wrapper reaches its own syscall", () => {
    for (const [fn, sys] of [
      ["read", "read"],
      ["epoll_wait", "epoll_wait"],
      ["accept4", "accept4"],
      ["clock_gettime", "clock_gettime"],
      ["time", "time"], // through the IFUNC resolver's fallback (lea of the function)
      ["_exit", "exit_group"], // the number is set before a jump
    ] as const) {
      expect(code.exports[fn]?.syscalls, fn).toContain(nr(sys));
    }
  });

  it("closures follow calls: exit reaches exit_group, pthread_create clone3 and clone, getaddrinfo socket and connect", () => {
    expect(code.exports.exit!.syscalls).toContain(nr("exit_group"));
    expect(code.exports.pthread_create!.syscalls).toEqual(
      expect.arrayContaining([nr("clone3"), nr("clone"), nr("mmap")]),
    );
    expect(code.exports.getaddrinfo!.syscalls).toEqual(expect.arrayContaining([nr("socket"), nr("connect")]));
  });

  it("a closure is smaller than the file: time() does not reach mount", () => {
    expect(code.whole.syscalls).toContain(nr("mount"));
    expect(code.exports.time!.syscalls).not.toContain(nr("mount"));
    expect(code.exports.time!.syscalls.length).toBeLessThan(5);
  });

  it("few sites of unknown number, each with a reason; syscall() itself is one (its argument)", () => {
    expect(code.unknown.length).toBeLessThan(20);
    for (const u of code.unknown) expect(u.reason).not.toBe("");
    expect(code.exports.syscall!.unknownSites).toBe(1);
  });

  it("the second analysis of the same build comes from the cache, identical", async () => {
    expect(readdirSync(cache).filter((f) => f.startsWith(code.buildId!))).toHaveLength(1);
    const again = await analyzeFile(LIBC, LIBC, { closures: true, cacheDir: cache });
    expect(again.cached).toBe(true);
    expect(again.code).toEqual(code);
  });

  it("stdio through the FILE jump table: a program calling only fwrite reaches ioctl (isatty in _IO_file_doallocate)", () => {
    // the table is data, no call edge: fwrite's own closure misses what only its members call
    expect(code.exports.fwrite!.syscalls).not.toContain(nr("ioctl"));
    expect(code.exports._IO_file_doallocate!.syscalls).toContain(nr("ioctl"));
    const only = (imports: string[]) =>
      programReach([
        {
          path: "/prog",
          role: "program",
          closures: false,
          code: {
            ...code,
            exportNames: [],
            exports: {},
            whole: { syscalls: [], imports, unknownSites: 0, unknownAt: [], indirect: 0 },
          },
        },
        { path: "/libc.so.6", role: "library", closures: true, code },
      ]);
    const viaTable = only(["fwrite"]).syscalls.get(nr("ioctl")) ?? [];
    expect(viaTable.map((o) => o.fn)).toContain("_IO_file_doallocate (FILE jump table, after fwrite)");
    expect(only(["__printf_chk"]).syscalls.has(nr("ioctl"))).toBe(true);
    expect(only(["strlen"]).syscalls.has(nr("ioctl"))).toBe(false); // not a stdio function: no table
  });
});
