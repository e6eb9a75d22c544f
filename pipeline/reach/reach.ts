/**
 * `reach`: the syscalls an image's programs can make, from their code, beside those its runs
 * made. The programs are the runs' execve targets resolved in the image's root filesystem, with
 * the shared objects they load (DT_NEEDED in ld.so's search order, and the .so files the runs
 * opened: dlopen targets); libc is taken through per-function closures, cached per build id.
 */
import { readFile } from "node:fs/promises";
import { availableParallelism, homedir } from "node:os";
import { basename, join, posix } from "node:path";
import { SYSCALL_NAMES_BY_NUMBER } from "../../schemas/generated/syscalls.ts";
import type { BinaryCode } from "../../stages/reach/binary.ts";
import { compareSets, type Comparison } from "../../stages/reach/compare.ts";
import { minedFor } from "../../stages/reach/arch.ts";
import { archOf, EM_AARCH64, EM_X86_64, isElf, readElf } from "../../stages/reach/elf.ts";
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
  /** files analysed at once (default: the number of cores); the result does not depend on it */
  jobs?: number;
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
  jobs: number;
  /** analysed paths in load order (what the report lists; independent of completion order) */
  order: string[];
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

interface Planned {
  path: string;
  host: string;
  role: LoadedFile["role"];
}

/** DT_NEEDED and friends of one file, from its ELF headers alone (no disassembly). */
async function linkInfo(host: string): Promise<{
  needed: string[];
  rpath: string | null;
  runpath: string | null;
  machine: number;
  interpreter: string | null;
}> {
  const elf = readElf(await readFile(host));
  return {
    needed: elf.dynamic.needed,
    rpath: elf.dynamic.rpath ?? null,
    runpath: elf.dynamic.runpath ?? null,
    machine: elf.machine,
    interpreter: elf.interpreter ?? null,
  };
}

/** Runs `fn` over `items` with at most `limit` at once; results in the items' order. */
async function pooled<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * The program and what it loads, breadth first as ld.so maps them (found from the ELF headers),
 * then analysed `jobs` files at a time (objdump runs in its own process); the order, and so the
 * result, does not depend on `jobs`.
 */
async function loadSet(
  ctx: Ctx,
  program: { path: string; host: string },
  extra: readonly string[],
): Promise<{ files: LoadedFile[]; missing: string[] }> {
  const plan: Planned[] = [{ ...program, role: "program" }];
  const missing: string[] = [];
  const byName = new Set<string>([program.path]);
  const first = await linkInfo(program.host);
  for (let i = 0; i < plan.length; i++) {
    const f = plan[i]!;
    const info = i === 0 ? first : await linkInfo(f.host);
    for (const needed of info.needed) {
      let found: { host: string; path: string } | undefined;
      for (const c of candidates(
        needed,
        { dir: posix.dirname(f.path), rpath: info.rpath, runpath: info.runpath, machine: info.machine },
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
      plan.push({ ...found, role: "library" });
    }
  }
  if (first.interpreter) {
    const r = await resolveIn(ctx.root, first.interpreter);
    if (r && (await isFile(r.host)) && !byName.has(r.path)) {
      byName.add(r.path);
      plan.push({ ...r, role: "loader" });
    } else if (!r) missing.push(first.interpreter);
  }
  for (const p of extra) {
    const r = await resolveIn(ctx.root, p);
    if (!r || byName.has(r.path) || !(await isFile(r.host))) continue;
    const head = await readFile(r.host).then((b) => b.subarray(0, 4));
    if (!isElf(head)) continue;
    byName.add(r.path);
    plan.push({ ...r, role: "dlopen" });
  }
  for (const f of plan) if (!ctx.order.includes(f.path)) ctx.order.push(f.path);
  const files = await pooled(plan, ctx.jobs, (f) => analysed(ctx, f.path, f.host, f.role));
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
      jobs: o.jobs ?? availableParallelism(),
      order: [],
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
      const em = (await readFile(target.host)).readUInt16LE(18);
      if (em !== EM_X86_64 && em !== EM_AARCH64) {
        skipped.push({ path: p, reason: `ELF machine ${em}: only x86_64 and aarch64 code is analysed` });
        continue;
      }
      const { files, missing } = await loadSet(ctx, target, runs.opened);
      const code = files[0]!.code;
      if (machine !== undefined && code.machine !== machine) {
        skipped.push({
          path: p,
          reason: `ELF machine ${code.machine}, not the ${archOf(machine)} of the image's first program`,
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
    const arch = machine === undefined ? "x86_64" : archOf(machine);
    const names = SYSCALL_NAMES_BY_NUMBER[arch] as Readonly<Record<number, string>>;
    const mined = minedFor(runs.mined, arch);
    const comparison = compareSets({
      arch,
      mined,
      reachable: union,
      names,
      unanalysed: skipped.map((s) => basename(s.path)),
      unknownSites: unknownAt.size,
      recordedArchs: runs.archs,
      present: new Set([...ctx.analysed.values()].flatMap((a) => a.code.whole.syscalls)),
    });
    return {
      image: o.image,
      rootfs: o.rootfs,
      arch: machine === undefined ? "none" : arch,
      runs: runs.runs,
      programs,
      skipped,
      files: ctx.order.map((p) => ctx.analysed.get(p)!.report),
      comparison,
      reachableSet: [...union.keys()].map((n) => names[n] ?? `syscall_${n}`).sort(),
      minedSet: mined.map((m) => m.syscall).sort(),
      unknownSites: unknownAt.size,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await rootfs.close();
  }
}
