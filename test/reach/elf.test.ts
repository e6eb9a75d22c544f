/**
 * The ELF reader on real Debian binaries, cross-checked against binutils' readelf (a separate
 * implementation of the same spec), and its errors on damaged input.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ElfError,
  EM_X86_64,
  exportedFunctions,
  importedFunctions,
  readElf,
  arrayEntries,
} from "../../stages/reach/elf.ts";
import { LIBC, MEMCACHED, POSTGRES, skipWithout } from "./host-binaries.ts";

const skip = skipWithout([MEMCACHED, POSTGRES, LIBC], true);
const readelf = (...args: string[]): string =>
  execFileSync("readelf", ["-W", ...args], { encoding: "utf8", maxBuffer: 1 << 28 });

describe.skipIf(skip !== null)(`ELF reader on host binaries${skip ? ` (skipped: ${skip})` : ""}`, () => {
  for (const file of [MEMCACHED, POSTGRES, LIBC]) {
    it(`${file}: header, DT_NEEDED, soname, interpreter and build id as readelf reads them`, () => {
      const f = readElf(readFileSync(file));
      expect(f.machine).toBe(EM_X86_64);
      const dyn = readelf("-d", file);
      const needed = [...dyn.matchAll(/\(NEEDED\)\s+Shared library: \[(.+)\]/g)].map((m) => m[1]);
      expect(f.dynamic.needed).toEqual(needed);
      const soname = /\(SONAME\)\s+Library soname: \[(.+)\]/.exec(dyn)?.[1];
      expect(f.dynamic.soname).toBe(soname);
      const note = readelf("-n", file);
      expect(f.buildId).toBe(/Build ID: ([0-9a-f]+)/.exec(note)?.[1]);
      const interp = /\[Requesting program interpreter: (.+)\]/.exec(readelf("-l", file))?.[1];
      expect(f.interpreter).toBe(interp);
      expect(f.sections.map((s) => s.name)).toContain(".dynsym");
    });
  }

  it("memcached: imported functions are the undefined dynamic symbols readelf lists", () => {
    const f = readElf(readFileSync(MEMCACHED));
    const imports = importedFunctions(f);
    for (const name of ["accept4", "epoll_wait", "pthread_create", "event_base_loop", "__libc_start_main"]) {
      // epoll_wait is called by libevent, not memcached: only the names readelf shows are required
      const shown = new RegExp(`\\sUND\\s+${name}(@|\\s|$)`, "m").test(readelf("--dyn-syms", MEMCACHED));
      expect(imports.includes(name)).toBe(shown);
    }
    expect(imports).toContain("event_base_loop");
    expect(f.relocs.some((r) => r.symName === "event_base_loop")).toBe(true);
  });

  it("libc: exported functions with every version's address; the init array is read", () => {
    const bytes = readFileSync(LIBC);
    const f = readElf(bytes);
    const exp = exportedFunctions(f);
    for (const name of ["read", "write", "clock_gettime", "syscall", "_exit"])
      expect(exp.has(name)).toBe(true);
    const syms = readelf("--dyn-syms", LIBC);
    const funcs = new Set(
      [
        ...syms.matchAll(
          /^\s*\d+:\s+[0-9a-f]+\s+\d+\s+(FUNC|IFUNC)\s+(GLOBAL|WEAK)\s+\w+\s+\d+\s+([^@\s]+)/gm,
        ),
      ].map((m) => m[3]),
    );
    expect(new Set(exp.keys())).toEqual(funcs);
    expect(arrayEntries(f, bytes, "init").length).toBeGreaterThan(0);
  });
});

describe("ELF reader errors", () => {
  it("refuses a non-ELF file at offset 0", () => {
    expect(() => readElf(Buffer.from("#!/bin/sh\necho hi\n"))).toThrow(/offset 0: not an ELF file/);
  });
  it("refuses a 32-bit file with the reason", () => {
    const b = Buffer.alloc(64);
    b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    expect(() => readElf(b)).toThrow(/ELF class 1: only 64-bit/);
  });
  it.skipIf(skip !== null)("a truncated file is an ElfError naming the offset", () => {
    const b = readFileSync(MEMCACHED).subarray(0, 4096);
    let err: unknown;
    try {
      readElf(b);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ElfError);
    expect((err as ElfError).offset).toBeGreaterThan(0);
    expect((err as Error).message).toMatch(/past the end of the file/);
  });
});
