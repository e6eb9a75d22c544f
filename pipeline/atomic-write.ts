/**
 * A file written whole or not at all: a temporary file beside the target (same folder, so the
 * rename is atomic), then a rename. Its own module, free of Arrow and parquet-wasm, so the commands
 * that only write JSON or HTML do not load them.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A fresh temporary name beside `file`. */
export const tempBeside = (file: string, ext: string): string =>
  `${file}.${process.pid}.${Math.floor(Math.random() * 1e9)}.${ext}`;

/** Writes `bytes` to `file` through a temporary file beside it and a rename. */
export function writeAtomic(file: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tempBeside(file, "tmp");
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
