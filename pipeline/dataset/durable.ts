/**
 * File operations of the commit protocol that must survive a power loss, not only a kill: data
 * flushed with fsync before the rename that publishes it, and the folder holding a renamed entry
 * flushed after, so that a committed run is on disk when ingest says so.
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

/** fsync of a file or folder (a folder's fsync makes its entries durable). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } catch (e) {
    // some filesystems cannot fsync folders (EINVAL): their renames are as durable as they get
    if ((e as NodeJS.ErrnoException).code !== "EINVAL") throw e;
  } finally {
    closeSync(fd);
  }
}

/** Writes a new file (`wx`: never over another) and flushes it to disk. */
export function writeDurable(file: string, bytes: Uint8Array | string): void {
  const buf = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
  const fd = openSync(file, "wx");
  try {
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync of every file below `dir`, then of every folder bottom-up (before `dir` is renamed). */
export function fsyncTree(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) fsyncTree(p);
    else fsyncPath(p);
  }
  fsyncPath(dir);
}

/** rename(2), then fsync of the folders that changed. */
export function renameDurable(from: string, to: string): void {
  renameSync(from, to);
  fsyncPath(dirname(to));
  if (dirname(from) !== dirname(to)) fsyncPath(dirname(from));
}

/** true when `path` is a folder. */
export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
