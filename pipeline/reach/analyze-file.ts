/**
 * One ELF file analysed: read, disassembled by binutils' objdump (streamed into the scanner) and
 * turned into its code view. Results are cached by the file's GNU build id (the sha256 of its
 * bytes without one) and the analysis version, so a libc build is disassembled once.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { analyzeBinary, ANALYSIS_VERSION, type BinaryCode } from "../../stages/reach/binary.ts";
import { EM_AARCH64, EM_X86_64, ElfError, gotSymbols, isElf, readElf } from "../../stages/reach/elf.ts";
import { ObjdumpScanner, type Scan } from "../../stages/reach/objdump.ts";
import { ObjdumpScannerA64 } from "../../stages/reach/objdump-aarch64.ts";

export interface Analysed {
  code: BinaryCode;
  /** taken from the cache */
  cached: boolean;
  /** wall seconds of this analysis (reading the cache when cached) */
  seconds: number;
}

/** The binutils objdump that disassembles a machine's code, and the Debian package that has it. */
export function objdumpFor(machine: number): { command: string; pkg: string } {
  if (machine === EM_X86_64) return { command: "objdump", pkg: "binutils" };
  if (machine === EM_AARCH64)
    return { command: "aarch64-linux-gnu-objdump", pkg: "binutils-aarch64-linux-gnu" };
  throw new Error(`ELF machine ${machine}: only x86_64 (62) and aarch64 (183) code is analysed`);
}

/** Runs `objdump -d --no-show-raw-insn FILE` (the machine's) and scans its output as it arrives. */
export async function disassemble(
  file: string,
  gotNames: ReadonlyMap<number, string>,
  machine: number = EM_X86_64,
): Promise<Scan> {
  const tool = objdumpFor(machine);
  const child = spawn(tool.command, ["-d", "--no-show-raw-insn", "-w", file], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const scanner = machine === EM_AARCH64 ? new ObjdumpScannerA64(gotNames) : new ObjdumpScanner(gotNames);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const spawned = new Promise<void>((resolve, reject) => {
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "ENOENT"
          ? new Error(`${tool.command} not found: install binutils (Debian package ${tool.pkg})`)
          : e,
      ),
    );
    child.on("spawn", resolve);
  });
  const closed = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  await spawned;
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  for await (const line of lines) scanner.push(line);
  const code = await closed;
  if (code !== 0)
    throw new Error(`${tool.command} -d ${file} exited ${code}: ${stderr.trim().split("\n")[0] ?? ""}`);
  return scanner.finish();
}

/** The cache key of a file: its build id, else the sha256 of its bytes. */
export function cacheKey(bytes: Uint8Array, buildId: string | undefined, closures: boolean): string {
  const id = buildId ?? "sha256-" + createHash("sha256").update(bytes).digest("hex");
  return `${id}.v${ANALYSIS_VERSION}${closures ? ".closures" : ""}.json`;
}

/**
 * Analyses `host` (the file's path on this machine; `shown` is how errors name it). `closures`
 * closes the call graph per exported function (libc). `cacheDir` undefined: no cache.
 */
export async function analyzeFile(
  host: string,
  shown: string,
  opts: { closures: boolean; cacheDir?: string },
): Promise<Analysed> {
  const t0 = performance.now();
  const bytes = await readFile(host);
  if (!isElf(bytes)) throw new ElfError(0, `${shown}: not an ELF file`);
  let elf;
  try {
    elf = readElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new ElfError(e.offset, `${shown}: ${e.message}`);
    throw e;
  }
  const key = cacheKey(bytes, elf.buildId, opts.closures);
  const cacheFile = opts.cacheDir ? join(opts.cacheDir, key) : undefined;
  if (cacheFile) {
    const hit = await readFile(cacheFile, "utf8").catch(() => undefined);
    if (hit !== undefined) {
      const code = JSON.parse(hit) as BinaryCode;
      if (code.version === ANALYSIS_VERSION)
        return { code, cached: true, seconds: (performance.now() - t0) / 1000 };
    }
  }
  const scan = await disassemble(host, gotSymbols(elf), elf.machine);
  const code = analyzeBinary(elf, bytes, scan, opts.closures);
  if (cacheFile && opts.cacheDir) {
    await mkdir(opts.cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(code));
    await rename(tmp, cacheFile);
  }
  return { code, cached: false, seconds: (performance.now() - t0) / 1000 };
}
