/**
 * What makes two ingests of a capture the same: the content key, a sha256 over the capture's
 * files (name, size and sha256 of each whole file), the run it goes to, its labels, the
 * parameters that change what is parsed (format, architecture, sysdig format, whether the image
 * was named) and the tool and schema versions. A run committed with the capture's key needs no
 * ingest again: a re-run (after a kill, or of a manifest) skips it.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import packageJson from "../../package.json" with { type: "json" };
import { SCHEMA_VERSION } from "../../schemas/events.ts";
import { RECORD_FORMAT } from "../dataset/record.ts";
import type { CaptureInput } from "./inputs.ts";

/** The ingest parameters a content key covers. */
export interface KeyParams {
  arch: string;
  sysdigFormat: string | undefined;
}

/**
 * sha256 of a whole file, read into one buffer again and again. A stream's fresh 1 MiB chunk per
 * read came from the main thread's malloc arena and stayed resident until a collection freed it
 * (measured: a 48 MB [heap] mapping during the perf capture's ingest, which hashes 703 MiB).
 */
export async function hashFile(path: string): Promise<string> {
  const h = createHash("sha256");
  const buf = Buffer.allocUnsafeSlow(1 << 20);
  const fh = await open(path, "r");
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest("hex");
}

/** The content key of capture `c` whose files have the sha256s `hashes` (in file order). */
export function captureKey(c: CaptureInput, hashes: readonly string[], p: KeyParams): string {
  const labels = Object.fromEntries(
    Object.entries(c.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const text = JSON.stringify({
    record: RECORD_FORMAT,
    tool: (packageJson as { version: string }).version,
    schema: SCHEMA_VERSION,
    image: c.image,
    image_given: c.imageGiven,
    run: c.run,
    format: c.format,
    arch: p.arch,
    sysdig_format: p.sysdigFormat ?? null,
    labels,
    files: c.files.map((f, i) => [f.name, f.size, hashes[i]]),
  });
  return createHash("sha256").update(text).digest("hex");
}

/** The content key of `c`, hashing its files. */
export async function captureKeyOf(c: CaptureInput, p: KeyParams): Promise<string> {
  const hashes: string[] = [];
  for (const f of c.files) hashes.push(await hashFile(f.path));
  return captureKey(c, hashes, p);
}
