/**
 * A small reader of 64-bit little-endian ELF files (the System V gABI and its x86_64/aarch64
 * supplements): the header, program and section headers, the dynamic section (DT_NEEDED,
 * DT_SONAME, DT_RPATH, DT_RUNPATH, DT_INIT/DT_INIT_ARRAY), symbol tables, relocations and the GNU
 * build id note. Only what reachability needs; anything else is not decoded. Pure: bytes in.
 */

/** A malformed or unsupported file: the offset where reading failed and why. */
export class ElfError extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(`offset ${offset}: ${reason}`);
    this.name = "ElfError";
  }
}

export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;

/** The architecture name of an ELF machine the analysis reads (syscall tables are keyed by it). */
export function archOf(machine: number): "x86_64" | "aarch64" {
  if (machine === EM_X86_64) return "x86_64";
  if (machine === EM_AARCH64) return "aarch64";
  throw new ElfError(18, `ELF machine ${machine}: only x86_64 (62) and aarch64 (183) code is analysed`);
}
const ET_DYN = 3;
const PT_INTERP = 3;
const SHT_SYMTAB = 2;
const SHT_RELA = 4;
const SHT_DYNAMIC = 6;
const SHT_NOTE = 7;
const SHT_DYNSYM = 11;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_*: 0 notype, 1 object, 2 func, 10 gnu_ifunc, … */
  type: number;
  /** STB_*: 0 local, 1 global, 2 weak */
  bind: number;
  /** 0 for an undefined symbol (imported) */
  shndx: number;
}

export interface ElfReloc {
  offset: number;
  type: number;
  /** index into the symbol table the relocation section links to (0: none) */
  sym: number;
  addend: number;
  /** the symbol's name when it has one */
  symName?: string;
}

export interface ElfDynamic {
  needed: string[];
  soname?: string;
  rpath?: string;
  runpath?: string;
  init?: number;
  fini?: number;
  initArray?: { addr: number; size: number };
  finiArray?: { addr: number; size: number };
}

export interface ElfFile {
  machine: number;
  /** ET_EXEC (2) or ET_DYN (3: shared objects and PIE executables) */
  type: number;
  entry: number;
  interpreter?: string;
  sections: ElfSection[];
  dynamic: ElfDynamic;
  dynsym: ElfSymbol[];
  symtab: ElfSymbol[];
  relocs: ElfReloc[];
  buildId?: string;
}

/** True when the bytes start with the ELF magic. */
export function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/** Reads the parts of an ELF file that reachability needs; throws ElfError on damage. */
export function readElf(bytes: Uint8Array): ElfFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (off: number, len: number): void => {
    if (off < 0 || off + len > bytes.length)
      throw new ElfError(off, `needs ${len} bytes past the end of the file`);
  };
  const u16 = (o: number): number => (need(o, 2), view.getUint16(o, true));
  const u32 = (o: number): number => (need(o, 4), view.getUint32(o, true));
  const u64 = (o: number): number => {
    need(o, 8);
    const v = view.getBigUint64(o, true);
    // Addresses and sizes in user-space files fit in 53 bits; a larger one is kept exact only as
    // far as a double allows, which no lookup here depends on.
    return Number(v);
  };
  const i64 = (o: number): number => (need(o, 8), Number(view.getBigInt64(o, true)));

  if (!isElf(bytes)) throw new ElfError(0, "not an ELF file (no \\x7fELF magic)");
  need(0, 64);
  if (bytes[4] !== 2) throw new ElfError(4, `ELF class ${bytes[4]}: only 64-bit files are read`);
  if (bytes[5] !== 1) throw new ElfError(5, `data encoding ${bytes[5]}: only little-endian files are read`);
  const type = u16(16);
  const machine = u16(18);
  const entry = u64(24);
  const phoff = u64(32);
  const shoff = u64(40);
  const phentsize = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  const shnum = u16(60);
  const shstrndx = u16(62);

  const cstr = (o: number): string => {
    need(o, 1);
    let e = o;
    while (e < bytes.length && bytes[e] !== 0) e++;
    if (e >= bytes.length) throw new ElfError(o, "string without a terminating NUL");
    return Buffer.from(bytes.buffer, bytes.byteOffset + o, e - o).toString("latin1");
  };

  let interpreter: string | undefined;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (u32(p) === PT_INTERP) interpreter = cstr(u64(p + 8));
  }

  const sections: ElfSection[] = [];
  if (shoff !== 0) {
    if (shentsize < 64) throw new ElfError(58, `section header size ${shentsize} < 64`);
    for (let i = 0; i < shnum; i++) {
      const s = shoff + i * shentsize;
      sections.push({
        name: "",
        type: u32(s + 4),
        flags: u64(s + 8),
        addr: u64(s + 16),
        offset: u64(s + 24),
        size: u64(s + 32),
        link: u32(s + 40),
        info: u32(s + 44),
        entsize: u64(s + 56),
      });
    }
    const names = sections[shstrndx];
    if (names)
      for (let i = 0; i < sections.length; i++)
        sections[i]!.name = cstr(names.offset + u32(shoff + i * shentsize));
  }

  const strAt = (strtab: number, o: number): string => {
    const t = sections[strtab];
    if (!t) throw new ElfError(shoff, `string table section ${strtab} does not exist`);
    if (o >= t.size)
      throw new ElfError(t.offset, `string offset ${o} past the string table (${t.size} bytes)`);
    return cstr(t.offset + o);
  };

  const readSymbols = (sec: ElfSection): ElfSymbol[] => {
    const n = sec.entsize > 0 ? Math.floor(sec.size / sec.entsize) : 0;
    const out: ElfSymbol[] = [];
    for (let i = 0; i < n; i++) {
      const o = sec.offset + i * sec.entsize;
      const info = (need(o + 4, 1), bytes[o + 4]!);
      out.push({
        name: strAt(sec.link, u32(o)),
        type: info & 0xf,
        bind: info >> 4,
        shndx: u16(o + 6),
        value: u64(o + 8),
        size: u64(o + 16),
      });
    }
    return out;
  };

  const dynsymIdx = sections.findIndex((s) => s.type === SHT_DYNSYM);
  const symtabIdx = sections.findIndex((s) => s.type === SHT_SYMTAB);
  const dynsym = dynsymIdx >= 0 ? readSymbols(sections[dynsymIdx]!) : [];
  const symtab = symtabIdx >= 0 ? readSymbols(sections[symtabIdx]!) : [];

  const relocs: ElfReloc[] = [];
  for (const sec of sections) {
    if (sec.type !== SHT_RELA || sec.entsize === 0) continue;
    const syms = sec.link === dynsymIdx ? dynsym : sec.link === symtabIdx ? symtab : [];
    for (let i = 0; i < Math.floor(sec.size / sec.entsize); i++) {
      const o = sec.offset + i * sec.entsize;
      const info = u64(o + 8);
      const sym = Math.floor(info / 2 ** 32);
      const r: ElfReloc = { offset: u64(o), type: info % 2 ** 32, sym, addend: i64(o + 16) };
      const name = syms[sym]?.name;
      if (sym !== 0 && name) r.symName = name;
      relocs.push(r);
    }
  }

  const dynamic: ElfDynamic = { needed: [] };
  const dynSec = sections.find((s) => s.type === SHT_DYNAMIC);
  if (dynSec) {
    const strs: { tag: number; val: number }[] = [];
    let initArray: number | undefined,
      initArraySz = 0,
      finiArray: number | undefined,
      finiArraySz = 0;
    for (let o = dynSec.offset; o + 16 <= dynSec.offset + dynSec.size; o += 16) {
      const tag = i64(o);
      const val = u64(o + 8);
      if (tag === 0) break;
      if (tag === 1 || tag === 14 || tag === 15 || tag === 29) strs.push({ tag, val });
      else if (tag === 12) dynamic.init = val;
      else if (tag === 13) dynamic.fini = val;
      else if (tag === 25) initArray = val;
      else if (tag === 27) initArraySz = val;
      else if (tag === 26) finiArray = val;
      else if (tag === 28) finiArraySz = val;
    }
    for (const { tag, val } of strs) {
      const s = strAt(dynSec.link, val);
      if (tag === 1) dynamic.needed.push(s);
      else if (tag === 14) dynamic.soname = s;
      else if (tag === 15) dynamic.rpath = s;
      else dynamic.runpath = s;
    }
    if (initArray !== undefined) dynamic.initArray = { addr: initArray, size: initArraySz };
    if (finiArray !== undefined) dynamic.finiArray = { addr: finiArray, size: finiArraySz };
  }

  let buildId: string | undefined;
  for (const sec of sections) {
    if (sec.type !== SHT_NOTE) continue;
    for (let o = sec.offset; o + 12 <= sec.offset + sec.size;) {
      const namesz = u32(o);
      const descsz = u32(o + 4);
      const ntype = u32(o + 8);
      const nameOff = o + 12;
      const descOff = nameOff + align4(namesz);
      if (ntype === 3 && namesz === 4 && cstr(nameOff) === "GNU") {
        need(descOff, descsz);
        buildId = Buffer.from(bytes.buffer, bytes.byteOffset + descOff, descsz).toString("hex");
      }
      o = descOff + align4(descsz);
    }
  }

  const f: ElfFile = { machine, type, entry, sections, dynamic, dynsym, symtab, relocs };
  if (interpreter !== undefined) f.interpreter = interpreter;
  if (buildId !== undefined) f.buildId = buildId;
  return f;
}

const align4 = (n: number): number => (n + 3) & ~3;

/** True for function symbols (including GNU indirect functions). */
export const isFunction = (s: ElfSymbol): boolean => s.type === STT_FUNC || s.type === STT_GNU_IFUNC;

/** Names of the functions the file imports: undefined dynamic symbols, sorted. */
export function importedFunctions(f: ElfFile): string[] {
  const out = new Set<string>();
  for (const s of f.dynsym) if (s.shndx === 0 && s.name && (isFunction(s) || s.type === 0)) out.add(s.name);
  return [...out].sort();
}

/** Defined global or weak function symbols of the dynamic table: name → addresses (every version). */
export function exportedFunctions(f: ElfFile): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of f.dynsym) {
    if (s.shndx === 0 || !isFunction(s) || s.bind === 0 || !s.name) continue;
    const a = out.get(s.name) ?? [];
    if (!a.includes(s.value)) a.push(s.value);
    out.set(s.name, a);
  }
  return out;
}

/** Every defined function start the file names (dynamic and static tables), with its name. */
export function functionStarts(f: ElfFile): Map<number, string> {
  const out = new Map<number, string>();
  for (const s of [...f.symtab, ...f.dynsym]) {
    if (s.shndx !== 0 && isFunction(s) && s.value !== 0 && !out.has(s.value)) out.set(s.value, s.name);
  }
  return out;
}

/** GOT slot address → the symbol its relocation binds (GLOB_DAT and JUMP_SLOT on x86_64 and aarch64). */
export function gotSymbols(f: ElfFile): Map<number, string> {
  const out = new Map<number, string>();
  for (const r of f.relocs) if (r.symName) out.set(r.offset, r.symName);
  return out;
}

/** The function pointers of DT_INIT_ARRAY/DT_FINI_ARRAY as far as relocations or file bytes give them. */
export function arrayEntries(f: ElfFile, bytes: Uint8Array, which: "init" | "fini"): number[] {
  const arr = which === "init" ? f.dynamic.initArray : f.dynamic.finiArray;
  if (!arr) return [];
  const out: number[] = [];
  // R_X86_64_RELATIVE (8) / R_AARCH64_RELATIVE (1027) give the target as the addend (PIE, .so).
  const byOffset = new Map<number, number>();
  for (const r of f.relocs) if (r.type === 8 || r.type === 1027) byOffset.set(r.offset, r.addend);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let a = arr.addr; a < arr.addr + arr.size; a += 8) {
    const rel = byOffset.get(a);
    if (rel !== undefined) {
      out.push(rel);
      continue;
    }
    const off = fileOffset(f, a);
    if (off !== undefined && off + 8 <= bytes.length) out.push(Number(view.getBigUint64(off, true)));
  }
  return out.filter((x) => x !== 0 && x !== 2 ** 64 - 1);
}

/** The file offset of a virtual address inside a section with file contents. */
export function fileOffset(f: ElfFile, addr: number): number | undefined {
  for (const s of f.sections) {
    if (s.addr !== 0 && s.type !== 8 && addr >= s.addr && addr < s.addr + s.size)
      return s.offset + (addr - s.addr);
  }
  return undefined;
}

/** Whether the file is a shared object or PIE (ET_DYN). */
export const isDyn = (f: ElfFile): boolean => f.type === ET_DYN;
