/**
 * aarch64 on real binaries: Debian bookworm's arm64 build of redis-server 7.0.15 and glibc 2.36
 * (datasets/record/build-arm64-tree.sh, the same versions as the x86_64 tree the redis image is
 * built from), disassembled by binutils' aarch64-linux-gnu-objdump. The ELF reader is checked
 * against aarch64-linux-gnu-readelf, and `reach` of the arm64 redis against its x86_64 build: the
 * same set once x86_64's names are mapped to aarch64's (schemas/arch-equivalents.ts), every
 * remaining difference explained by the kernel's aarch64 vDSO or by a call one build's libc has
 * no code for at all. Missing tools or trees skip with the reason, and fail under CI=true.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeFile } from "../../pipeline/reach/analyze-file.ts";
import type { ReachResult } from "../../pipeline/reach/reach.ts";
import { X86_64_ONLY, X86_64_TO_AARCH64 } from "../../schemas/arch-equivalents.ts";
import { SYSCALL_NUMBERS } from "../../schemas/generated/syscalls.ts";
import type { BinaryCode } from "../../stages/reach/binary.ts";
import { VDSO_CALLS, VDSO_CALLS_AARCH64 } from "../../stages/reach/compare.ts";
import { EM_AARCH64, gotSymbols, readElf } from "../../stages/reach/elf.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { ARM64_TREE, X86_64_TREE } from "../util/reach-trees.ts";

const LIBC = join(ARM64_TREE, "lib/aarch64-linux-gnu/libc.so.6");
const REDIS = join(ARM64_TREE, "usr/bin/redis-check-rdb");
const X86_LIBC = join(X86_64_TREE, "lib/x86_64-linux-gnu/libc.so.6");

function skipReason(): string | null {
  const missing: string[] = [];
  for (const p of [LIBC, REDIS, X86_LIBC]) if (!existsSync(p)) missing.push(p);
  for (const tool of ["aarch64-linux-gnu-objdump", "aarch64-linux-gnu-readelf"]) {
    try {
      execFileSync(tool, ["--version"], { stdio: "ignore" });
    } catch {
      missing.push(`${tool} (Debian package binutils-aarch64-linux-gnu)`);
    }
  }
  if (missing.length === 0) return null;
  const reason = `${missing.join(", ")} missing (datasets/record/build-images.sh base, then build-arm64-tree.sh)`;
  if (process.env.CI) throw new Error(`${reason}; required when CI is set (.ci/run builds them)`);
  return reason;
}
const skip = skipReason();
const readelf = (...args: string[]): string =>
  execFileSync("aarch64-linux-gnu-readelf", ["-W", ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
const A64 = SYSCALL_NUMBERS.aarch64 as Record<string, number>;

describe.skipIf(skip !== null)(`aarch64 binaries${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let tmp: string;
  let libc: BinaryCode;
  let x86libc: BinaryCode;
  let arm: ReachResult;
  let x86: ReachResult;
  let ds: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-reach-a64-"));
    const cache = join(tmp, "cache");
    libc = (await analyzeFile(LIBC, LIBC, { closures: true, cacheDir: cache })).code;
    x86libc = (await analyzeFile(X86_LIBC, X86_LIBC, { closures: true, cacheDir: cache })).code;
    const manifest = join(tmp, "m.yaml");
    const styles = join(REPO_ROOT, "datasets", "styles");
    writeFileSync(
      manifest,
      `captures:\n` +
        `  - { path: ${styles}/raw-n/redis/run-01, image: redis, run: raw-01, format: strace }\n` +
        `  - { path: ${styles}/raw-n/redis/run-02, image: redis, run: raw-02, format: strace }\n` +
        `  - { path: ${styles}/usecase/redis/admin, image: redis, run: uc-admin, format: strace }\n`,
    );
    ds = join(tmp, "ds");
    const ing = await runCli("ingest", "--manifest", manifest, "--out", ds, "-q");
    expect(ing.code, ing.err).toBe(0);
    const run = async (tree: string): Promise<ReachResult> => {
      const r = await runCli("reach", tree, "--dataset", ds, "--image", "redis", "--json", "--cache", cache);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as ReachResult;
    };
    arm = await run(ARM64_TREE);
    x86 = await run(X86_64_TREE);
  }, 900_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  for (const file of [LIBC, REDIS]) {
    it(`${file.slice(ARM64_TREE.length)}: machine, DT_NEEDED, soname, interpreter, build id as readelf reads them`, () => {
      const f = readElf(readFileSync(file));
      expect(f.machine).toBe(EM_AARCH64);
      const dyn = readelf("-d", file);
      expect(f.dynamic.needed).toEqual(
        [...dyn.matchAll(/\(NEEDED\)\s+Shared library: \[(.+)\]/g)].map((m) => m[1]),
      );
      expect(f.dynamic.soname).toBe(/\(SONAME\)\s+Library soname: \[(.+)\]/.exec(dyn)?.[1]);
      expect(f.buildId).toBe(/Build ID: ([0-9a-f]+)/.exec(readelf("-n", file))?.[1]);
      expect(f.interpreter).toBe(/\[Requesting program interpreter: (.+)\]/.exec(readelf("-l", file))?.[1]);
    });
  }

  it("redis: R_AARCH64_JUMP_SLOT and R_AARCH64_GLOB_DAT relocations name the GOT slots readelf -r lists", () => {
    const f = readElf(readFileSync(REDIS));
    const got = gotSymbols(f);
    const listed = [
      ...readelf("-r", REDIS).matchAll(
        /^([0-9a-f]+)\s+[0-9a-f]+\s+(R_AARCH64_JUMP_SLOT|R_AARCH64_GLOB_DAT)\s+[0-9a-f]+\s+([^@\s]+)/gm,
      ),
    ];
    expect(listed.length).toBeGreaterThan(200);
    for (const [, off, type, name] of listed) {
      expect(got.get(parseInt(off!, 16)), `${type} ${name}`).toBe(name);
      const r = f.relocs.find((x) => x.offset === parseInt(off!, 16))!;
      expect(r.type).toBe(type === "R_AARCH64_JUMP_SLOT" ? 1026 : 1025);
    }
  });

  it("libc: each wrapper's closure reaches its own call by the aarch64 number, set by `mov x8, #…` before `svc #0`", () => {
    for (const [fn, sys] of [
      ["read", "read"],
      ["socket", "socket"],
      ["accept4", "accept4"],
      ["epoll_wait", "epoll_pwait"], // aarch64 has no epoll_wait: glibc calls epoll_pwait
      ["open", "openat"],
      ["_exit", "exit_group"],
      ["fork", "clone"],
    ] as const) {
      expect(libc.exports[fn]?.syscalls, fn).toContain(A64[sys]);
    }
    expect(libc.exports.socket!.syscalls).toEqual([A64.socket]); // its error path is __syscall_error only
    expect(libc.exportNames.length).toBeGreaterThan(2000);
    expect(libc.unknown.length).toBeLessThan(10); // nearly every svc's number is found
  });

  it("reach of the arm64 redis-server: the files it loads, from the aarch64 tree, libc per function", () => {
    expect(arm.arch).toBe("aarch64");
    expect(arm.programs.map((p) => p.path)).toEqual(["/usr/bin/redis-server"]);
    expect(arm.programs[0]!.missing).toEqual([]);
    expect(arm.files.slice(1).every((f) => f.path.includes("/aarch64-linux-gnu/"))).toBe(true);
    expect(arm.files.find((f) => f.path.endsWith("/libc.so.6"))?.closures).toBe(true);
    // the same libraries as the x86_64 build (the loader named for its machine)
    const base = (p: string): string =>
      p
        .split("/")
        .pop()!
        .replace(/^ld-linux-(x86-64|aarch64)\.so\..*/, "ld.so");
    expect(arm.files.map((f) => base(f.path)).sort()).toEqual(x86.files.map((f) => base(f.path)).sort());
  });

  it("the same set as the x86_64 build once the names are mapped; every other difference explained", () => {
    const mapped = new Set<string>();
    for (const n of x86.reachableSet) {
      if (n in X86_64_ONLY) continue; // no aarch64 counterpart (arch_prctl, modify_ldt, …)
      mapped.add(X86_64_TO_AARCH64[n]?.to ?? n);
    }
    const S = new Set(arm.reachableSet);
    const onlyX86 = [...mapped].filter((n) => !S.has(n));
    const onlyArm = [...S].filter((n) => !mapped.has(n));
    const x86nr = SYSCALL_NUMBERS.x86_64 as Record<string, number>;
    // a difference is the vDSO's (the kernel makes it there) or a call the other build's libc has no code for
    const explained = (
      n: string,
      vdso: ReadonlySet<string>,
      other: BinaryCode,
      nrs: Record<string, number>,
    ) => vdso.has(n) || !other.whole.syscalls.includes(nrs[n]!);
    for (const n of onlyX86)
      expect(explained(n, VDSO_CALLS_AARCH64, libc, A64), `x86_64 only: ${n}`).toBe(true);
    for (const n of onlyArm)
      expect(explained(n, VDSO_CALLS, x86libc, x86nr), `aarch64 only: ${n}`).toBe(true);
    expect(onlyX86.length + onlyArm.length).toBeLessThanOrEqual(4);
    expect(S.size).toBeGreaterThan(100);
  });

  it("M from the x86_64 captures, in aarch64's names: every member of M \\ S explained", () => {
    expect(arm.minedSet).not.toContain("open");
    expect(arm.minedSet).toContain("openat");
    const reasons = new Set(arm.comparison.gaps.map((g) => g.reason));
    expect(
      [...reasons].every((r) => ["runtime", "vdso", "other-architecture", "not-a-syscall-name"].includes(r)),
    ).toBe(true);
    for (const g of arm.comparison.gaps.filter((x) => x.reason === "not-a-syscall-name"))
      expect(X86_64_ONLY[g.syscall], g.syscall).toBeDefined();
    expect(arm.comparison.gaps.find((g) => g.syscall === "rt_sigreturn")?.reason).toBe("vdso");
  });

  it("characterize --rootfs keeps the aarch64 comparison; widening an x86_64 profile by aarch64 calls is refused", async () => {
    const c = await runCli("characterize", ds, "--image", "redis", "--rootfs", ARM64_TREE, "--json");
    expect(c.code, c.err).toBe(0);
    const s = (
      JSON.parse(c.out) as {
        reach: { arch: string; reachable: string[]; limits: { kind: string; detail: string }[] };
      }
    ).reach;
    expect(s.arch).toBe("aarch64");
    expect(s.reachable).toEqual(arm.reachableSet);
    expect(s.limits.find((l) => l.kind === "vdso")?.detail).toMatch(/rt_sigreturn is the vDSO's trampoline/);
    const profile = join(tmp, "p.json");
    writeFileSync(profile, JSON.stringify({ defaultAction: "SCMP_ACT_ERRNO", syscalls: [] }));
    const w = await runCli(
      "reach",
      ARM64_TREE,
      "--dataset",
      ds,
      "--image",
      "redis",
      "--widen",
      profile,
      "--out",
      join(tmp, "w.json"),
    );
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/the image's code is aarch64: .* widen x86_64 profiles only/);
  }, 600_000);
});
