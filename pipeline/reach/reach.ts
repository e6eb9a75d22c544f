/**
 * `reach`: the syscalls an image's programs can make, from their code, beside those its runs
 * made. The programs are the runs' execve targets resolved in the image's root filesystem, with
 * the shared objects they load (DT_NEEDED in ld.so's search order, and the .so files the runs
 * opened: dlopen targets); libc is taken through per-function closures, cached per build id.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join, posix } from "node:path";
import { SYSCALL_NAMES_BY_NUMBER } from "../../schemas/generated/syscalls.ts";
import type { BinaryCode } from "../../stages/reach/binary.ts";
import { compareSets, type Comparison } from "../../stages/reach/compare.ts";
import { EM_AARCH64, EM_X86_64, isElf, readElf } from "../../stages/reach/elf.ts";
import { candidates } from "../../stages/reach/ld-path.ts";
import { programReach, type LoadedFile, type Origin } from "../../stages/reach/program.ts";
import { withDb } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { analyzeFile } from "./analyze-file.ts";
import { readImageRuns } from "./dataset.ts";
import { ldConfDirs } from "./ld-conf.ts";
import { isFile, openRootfs, resolveIn } from "./rootfs.ts";

export interface ReachOptions {
  rootfs: string;
  dataset: string;
  image: string;
  /** where per-build analyses are kept; default DATASET/.cache/reach; null: no cache */
  cacheDir?: string | null;
  /** runs left out of M and of the programs (held out) */
  excludeRuns?: readonly string[];
  /** sonames analysed per function instead of whole (default: glibc's libc.so.6) */
  closureSonames?: readonly string[];
}

export interface FileReport {
  path: string;
  role: LoadedFile["role"];
  buildId: string | null;
  /** analysed per function (libc) rather than whole */
  closures: boolean;
  instructions: number;
  syscallSites: number;
  unknownSites: number;
  cached: boolean;
  seconds: number;
}

export interface ProgramReport {
  path: string;
  /** the interpreter a `#!` script names, when the program is a script */
  interpreter?: string;
  reachable: number;
  unresolved: number;
  /** DT_NEEDED names not found in the root filesystem */
  missing: string[];
}

export interface ReachResult {
  image: string;
  rootfs: string;
  arch: string;
  runs: number;
  programs: ProgramReport[];
  /** executed paths that could not be analysed, with why */
  skipped: { path: string; reason: string }[];
  files: FileReport[];
  comparison: Comparison;
  /** S as names, sorted */
  reachableSet: string[];
  /** M as names, sorted */
  minedSet: string[];
  /** syscall sites of unknown number in the code taken */
  unknownSites: number;
  seconds: number;
}

export const defaultCacheDir = (dataset: string | undefined): string =>
  dataset ? join(dataset, ".cache", "reach") : join(homedir(), ".cache", "sandmine", "reach");

interface Ctx {
  root: string;
  confDirs: string[];
  cacheDir: string | undefined;
  closureSonames: ReadonlySet<string>;
  analysed: Map<string, { code: BinaryCode; report: FileReport }>;
}

/** Analyses one file once per run of `reach` (and once per build across runs, through the cache). */
async function analysed(ctx: Ctx, path: string, host: string, role: LoadedFile["role"]): Promise<LoadedFile> {
  const hit = ctx.analysed.get(path);
  if (hit) return { path, role, code: hit.code, closures: hit.report.closures };
  // The soname decides whether the file is closed per function (libc) or taken whole.
  const soname = readElf(await readFile(host)).dynamic.soname;
  const closures = soname !== undefined && ctx.closureSonames.has(soname);
  const a = await analyzeFile(host, path, { closures, ...(ctx.cacheDir ? { cacheDir: ctx.cacheDir } : {}) });
  const report: FileReport = {
    path,
    role,
    buildId: a.code.buildId,
    closures,
    instructions: a.code.instructions,
    syscallSites: a.code.whole.syscalls.length + a.code.unknown.length,
    unknownSites: a.code.unknown.length,
    cached: a.cached,
    seconds: a.seconds,
  };
  ctx.analysed.set(path, { code: a.code, report });
  return { path, role, code: a.code, closures };
}

/** The program and what it loads, breadth first as ld.so maps them. */
async function loadSet(
  ctx: Ctx,
  program: { path: string; host: string },
  extra: readonly string[],
): Promise<{ files: LoadedFile[]; missing: string[] }> {
  const files: LoadedFile[] = [await analysed(ctx, program.path, program.host, "program")];
  const missing: string[] = [];
  const byName = new Set<string>([program.path]);
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    for (const needed of f.code.needed) {
      let found: { host: string; path: string } | undefined;
      for (const c of candidates(
        needed,
        { dir: posix.dirname(f.path), rpath: f.code.rpath, runpath: f.code.runpath, machine: f.code.machine },
        ctx.confDirs,
      )) {
        const r = await resolveIn(ctx.root, c);
        if (r && (await isFile(r.host))) {
          found = r;
          break;
        }
      }
      if (!found) {
        if (!missing.includes(needed)) missing.push(needed);
        continue;
      }
      if (byName.has(found.path)) continue;
      byName.add(found.path);
      files.push(await analysed(ctx, found.path, found.host, "library"));
    }
  }
  const interp = files[0]!.code.interpreter;
  if (interp) {
    const r = await resolveIn(ctx.root, interp);
    if (r && (await isFile(r.host)) && !byName.has(r.path)) {
      byName.add(r.path);
      files.push(await analysed(ctx, r.path, r.host, "loader"));
    } else if (!r) missing.push(interp);
  }
  for (const p of extra) {
    const r = await resolveIn(ctx.root, p);
    if (!r || byName.has(r.path) || !(await isFile(r.host))) continue;
    const head = await readFile(r.host).then((b) => b.subarray(0, 4));
    if (!isElf(head)) continue;
    byName.add(r.path);
    files.push(await analysed(ctx, r.path, r.host, "dlopen"));
  }
  return { files, missing };
}

/** Runs the analysis and the comparison for one image. */
export async function reach(o: ReachOptions): Promise<ReachResult> {
  const t0 = performance.now();
  const runs = await withDb((db) => readImageRuns(db, o.dataset, o.image, o.excludeRuns));
  if (runs.runs === 0) throw new UsageError(`${o.dataset}: no runs of image ${o.image}`);
  const rootfs = await openRootfs(o.rootfs);
  try {
    const ctx: Ctx = {
      root: rootfs.dir,
      confDirs: await ldConfDirs(rootfs.dir),
      cacheDir: o.cacheDir === null ? undefined : (o.cacheDir ?? defaultCacheDir(o.dataset)),
      closureSonames: new Set(o.closureSonames ?? ["libc.so.6"]),
      analysed: new Map(),
    };
    const union = new Map<number, Origin[]>();
    const programs: ProgramReport[] = [];
    const skipped: { path: string; reason: string }[] = [];
    const unknownAt = new Set<string>();
    let machine: number | undefined;
    for (const p of runs.programs) {
      const r = await resolveIn(ctx.root, p);
      if (!r || !(await isFile(r.host))) {
        skipped.push({ path: p, reason: "not in the root filesystem" });
        continue;
      }
      let target = r;
      let interpreter: string | undefined;
      const head = (await readFile(r.host)).subarray(0, 256);
      if (head[0] === 0x23 && head[1] === 0x21) {
        interpreter = head.toString("latin1", 2).split("\n")[0]!.trim().split(/\s+/)[0];
        const ir = interpreter ? await resolveIn(ctx.root, interpreter) : undefined;
        if (!ir || !(await isFile(ir.host))) {
          skipped.push({
            path: p,
            reason: `script whose interpreter ${interpreter ?? "(none)"} is not in the root filesystem`,
          });
          continue;
        }
        target = ir;
      } else if (!isElf(head)) {
        skipped.push({ path: p, reason: "neither an ELF file nor a #! script" });
        continue;
      }
      const { files, missing } = await loadSet(ctx, target, runs.opened);
      const code = files[0]!.code;
      if (code.machine !== EM_X86_64) {
        skipped.push({
          path: p,
          reason: `machine ${code.machine}: only x86_64 code is analysed${code.machine === EM_AARCH64 ? " (aarch64: not yet)" : ""}`,
        });
        continue;
      }
      machine = code.machine;
      const pr = programReach(files);
      for (const u of pr.unknownAt) unknownAt.add(u);
      for (const [nr, origins] of pr.syscalls) union.set(nr, [...(union.get(nr) ?? []), ...origins]);
      programs.push({
        path: p,
        ...(interpreter ? { interpreter } : {}),
        reachable: pr.syscalls.size,
        unresolved: pr.unresolved.length,
        missing,
      });
    }
    const names = SYSCALL_NAMES_BY_NUMBER.x86_64 as Readonly<Record<number, string>>;
    const comparison = compareSets({
      mined: runs.mined,
      reachable: union,
      names,
      unanalysed: skipped.map((s) => basename(s.path)),
      unknownSites: unknownAt.size,
    });
    return {
      image: o.image,
      rootfs: o.rootfs,
      arch: machine === undefined ? "none" : "x86_64",
      runs: runs.runs,
      programs,
      skipped,
      files: [...ctx.analysed.values()].map((a) => a.report),
      comparison,
      reachableSet: [...union.keys()].map((n) => names[n] ?? `syscall_${n}`).sort(),
      minedSet: runs.mined.map((m) => m.syscall).sort(),
      unknownSites: unknownAt.size,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await rootfs.close();
  }
}
