/**
 * What one program can reach: its own code and every library it loads taken whole (as Confine
 * does for non-libc code: function pointers inside a library, such as libevent's backend
 * table, are not followed, so only whole-file inclusion is safe), and libc through the
 * closures of the functions those files import. Each syscall keeps where it comes from and a
 * likelihood class: the program's own syscall instructions, libc functions the program calls,
 * code of (or libc functions called by) a library, and start-up code (the loader, libc's
 * initialisers).
 */
import type { BinaryCode } from "./binary.ts";

export type FileRole = "program" | "library" | "loader" | "dlopen";

export interface LoadedFile {
  /** path inside the image */
  path: string;
  role: FileRole;
  code: BinaryCode;
  /** libc: closures per function instead of the whole file */
  closures: boolean;
}

export const LIKELIHOODS = ["startup", "library", "program-libc", "program"] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

export interface Origin {
  /** the file whose code holds the syscall site */
  file: string;
  /** the libc function whose closure reaches it (closure files only) */
  fn?: string;
  /** the file that called `fn` */
  importer?: string;
  likelihood: Likelihood;
}

export interface ProgramReach {
  program: string;
  /** syscall number → its origins, best likelihood first */
  syscalls: Map<number, Origin[]>;
  /** imported functions no loaded file defines (weak references such as __gmon_start__ included) */
  unresolved: string[];
  /** syscall sites of unknown number in the code taken (whole files and closures) */
  unknownSites: number;
  /** those sites as `file@address` */
  unknownAt: string[];
}

const rank = (l: Likelihood): number => LIKELIHOODS.indexOf(l);

/**
 * glibc's stdio reaches its file operations only through the FILE's jump table (_IO_file_jumps,
 * data, so no call graph edge): a call of a stdio function also takes the table's members, all
 * exported by glibc. The entry points: libio's public functions and their _chk/_unlocked forms.
 */
export const STDIO_FUNCTION =
  /^(_IO_|__)?(v?f?w?printf|v?f?w?scanf|f(open|open64|dopen|reopen|reopen64|write|read|puts|gets|putc|getc|putwc|getwc|flush|close|closeall|seek|seeko|seeko64|tell|tello|tello64|getpos|getpos64|setpos|setpos64|putws|getws|purge)|puts|putchar|getchar|putw|getw|putwchar|getwchar|ungetc|ungetwc|setvbuf|setbuf|setlinebuf|setbuffer|getline|getdelim|perror|popen|pclose|tmpfile|tmpfile64|rewind|verr|verrx|vwarn|vwarnx|err|errx|warn|warnx|psignal|psiginfo|syslog|vsyslog|uflow|overflow|getc_unlocked)(_unlocked|_chk)?$/;
/** _IO_file_jumps' members that glibc exports (the table's other slots are generic helpers). */
export const FILE_JUMPS = [
  "_IO_file_close",
  "_IO_file_doallocate",
  "_IO_file_finish",
  "_IO_file_overflow",
  "_IO_file_read",
  "_IO_file_seek",
  "_IO_file_seekoff",
  "_IO_file_setbuf",
  "_IO_file_stat",
  "_IO_file_sync",
  "_IO_file_underflow",
  "_IO_file_write",
  "_IO_file_xsputn",
] as const;

/** Combines the analysed files of one program (program first, then libraries in load order). */
export function programReach(files: readonly LoadedFile[]): ProgramReach {
  const program = files.find((f) => f.role === "program")?.path ?? files[0]?.path ?? "";
  const syscalls = new Map<number, Origin[]>();
  const add = (nr: number, o: Origin): void => {
    const list = syscalls.get(nr) ?? [];
    if (list.length < 8 && !list.some((x) => x.file === o.file && x.fn === o.fn && x.importer === o.importer))
      list.push(o);
    syscalls.set(nr, list);
  };
  const definer = new Map<string, LoadedFile>();
  for (const f of files) for (const n of f.code.exportNames) if (!definer.has(n)) definer.set(n, f);
  const unresolved = new Set<string>();
  const unknownAt = new Set<string>();
  const unknown = (f: LoadedFile, addrs: readonly number[]): void => {
    for (const a of addrs) unknownAt.add(`${f.path}@${a}`);
  };
  const seen = new Set<string>();

  const resolve = (name: string, importer: LoadedFile): void => {
    const def = definer.get(name);
    if (!def) {
      unresolved.add(name);
      return;
    }
    if (!def.closures) return; // taken whole already
    const key = `${def.path}\0${name}\0${importer.path}`;
    if (seen.has(key)) return;
    seen.add(key);
    const r = def.code.exports[name];
    if (!r) return;
    unknown(def, r.unknownAt);
    const likelihood: Likelihood =
      importer.role === "program" ? "program-libc" : importer.role === "loader" ? "startup" : "library";
    for (const nr of r.syscalls) add(nr, { file: def.path, fn: name, importer: importer.path, likelihood });
    for (const im of r.imports) resolve(im, importer);
    if (STDIO_FUNCTION.test(name)) {
      for (const j of FILE_JUMPS) {
        const jr = def.code.exports[j];
        if (!jr || seen.has(`${def.path}\0${j}\0${importer.path}`)) continue;
        seen.add(`${def.path}\0${j}\0${importer.path}`);
        unknown(def, jr.unknownAt);
        const fn = `${j} (FILE jump table, after ${name})`;
        for (const nr of jr.syscalls) add(nr, { file: def.path, fn, importer: importer.path, likelihood });
        for (const im of jr.imports) resolve(im, importer);
      }
    }
  };

  for (const f of files) {
    if (f.closures) {
      const likelihood: Likelihood = "startup";
      for (const nr of f.code.init.syscalls) add(nr, { file: f.path, fn: "(init)", likelihood });
      unknown(f, f.code.init.unknownAt);
      for (const im of f.code.init.imports) resolve(im, { ...f, role: "loader" });
      continue;
    }
    const likelihood: Likelihood =
      f.role === "program" ? "program" : f.role === "loader" ? "startup" : "library";
    for (const nr of f.code.whole.syscalls) add(nr, { file: f.path, likelihood });
    unknown(f, f.code.whole.unknownAt);
    for (const im of f.code.whole.imports) resolve(im, f);
  }
  for (const list of syscalls.values()) list.sort((a, b) => rank(b.likelihood) - rank(a.likelihood));
  return {
    program,
    syscalls,
    unresolved: [...unresolved].sort(),
    unknownSites: unknownAt.size,
    unknownAt: [...unknownAt].sort(),
  };
}

/** The best likelihood among origins. */
export const bestLikelihood = (origins: readonly Origin[]): Likelihood =>
  origins.reduce<Likelihood>((b, o) => (rank(o.likelihood) > rank(b) ? o.likelihood : b), "startup");
