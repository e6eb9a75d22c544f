/**
 * Content hashes for the stage cache: a file's sha256 (remembered per path, size, mtime and inode
 * in a memo file, so a rerun with nothing changed reads no file twice), a folder's files and their
 * hash (paths relative to the folder, sorted, so the hash does not depend on where the folder is),
 * and the hash of a JSON value.
 */
import { createHash } from "node:crypto";
import {
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  closeSync,
  statSync,
  writeFileSync,
  renameSync,
} from "node:fs";
import { join, relative, sep } from "node:path";

export const sha256 = (s: string | Uint8Array): string => createHash("sha256").update(s).digest("hex");

/** JSON with sorted keys: the same value always gives the same text. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

export const jsonHash = (v: unknown): string => sha256(stableJson(v) ?? "undefined");

interface MemoEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

/** sha256 of files, remembered by (path, size, mtime, inode) in `file` (saved by `save`). */
export class HashMemo {
  private entries: Record<string, MemoEntry> = {};
  private dirty = false;

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      this.entries = JSON.parse(readFileSync(file, "utf8")) as Record<string, MemoEntry>;
    } catch {
      this.entries = {};
    }
  }

  hash(path: string): string {
    const st = statSync(path);
    const e = this.entries[path];
    if (e && e.size === st.size && e.mtimeMs === st.mtimeMs && e.ino === st.ino) return e.sha256;
    const h = createHash("sha256");
    const fd = openSync(path, "r");
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        h.update(buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    const sha = h.digest("hex");
    this.entries[path] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, sha256: sha };
    this.dirty = true;
    return sha;
  }

  /** The files of folder `from` are now below `to` (renamed: same inodes and mtimes). */
  moved(from: string, to: string): void {
    for (const [k, v] of Object.entries(this.entries)) {
      if (!k.startsWith(from + "/")) continue;
      this.entries[to + k.slice(from.length)] = v;
      delete this.entries[k];
      this.dirty = true;
    }
  }

  save(): void {
    if (!this.file || !this.dirty) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.entries));
    renameSync(tmp, this.file);
    this.dirty = false;
  }
}

/** Every file below `dir` (recursively; symlinks are not followed), sorted, as absolute paths. */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export interface TreeFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** The files below `dir` (relative paths with '/'), their sizes and sha256, and one hash over all. */
export function treeHash(dir: string, memo: HashMemo): { hash: string; files: TreeFile[] } {
  const files = filesBelow(dir).map((p) => ({
    path: relative(dir, p).split(sep).join("/"),
    bytes: statSync(p).size,
    sha256: memo.hash(p),
  }));
  return { hash: sha256(files.map((f) => `${f.path}\0${f.sha256}\n`).join("")), files };
}
