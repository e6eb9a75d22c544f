/**
 * A damaged gzip scap capture (or sysdig text) stops the ingest with an error that names the file,
 * zlib's reason and the byte offset in the gzip data where the damage was found.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { parseScap, scanScap } from "../../pipeline/ingest/scap-task.ts";
import type { Piece } from "../../pipeline/ingest/tasks.ts";
import { gzipDamageOffset, inflate } from "../../stages/scap/inflate.ts";
import { capture, expected, scapAvailability } from "./captures.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scap-gzip-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function pieceOf(name: string, bytes: Buffer): Piece {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return { file, gzip: true, byteStart: 0, byteEnd: bytes.length, atEof: true };
}

const STATE = { arch: "x86_64", phase: "unknown" } as Parameters<typeof parseScap>[2];

describe.skipIf(scapAvailability.skipReason !== null)("corrupt gzip captures", () => {
  it("a cut scap capture: the file, 'unexpected end of file' and the offset of the cut", () => {
    const gz = capture("falcosecurity-falco/cat_write.scap");
    const cut = gz.subarray(0, Math.floor(gz.length * 0.9));
    const piece = pieceOf("cut.scap", cut);
    const msg = `${piece.file}: corrupt gzip data (unexpected end of file) at byte ${cut.length} of the gzip data`;
    expect(() => scanScap(piece)).toThrow(msg);
    expect(() => parseScap(piece, "cut", STATE, new EventBatch())).toThrow(msg);
  });

  it("a flipped byte: the offset is at or after the damage, where zlib stops", () => {
    const gz = Buffer.from(capture("falcosecurity-libs/curl_google.scap"));
    const at = gz.length >> 1;
    gz[at]! ^= 0xff;
    const found = gzipDamageOffset(gz);
    expect(found).toBeGreaterThan(at);
    expect(found).toBeLessThanOrEqual(gz.length);
    expect(() => inflate(gz)).toThrow(
      new RegExp(`^corrupt gzip data \\(.+\\) at byte ${found} of the gzip data$`),
    );
    const piece = pieceOf("flipped.scap", gz);
    expect(() => scanScap(piece)).toThrow(
      new RegExp(`^${piece.file}: corrupt gzip data \\(.+\\) at byte ${found} `),
    );
  });

  it("sysdig text in gzip: the same error with the file", () => {
    const text = expected("falcosecurity-libs/curl_google.scap", ".txt")!;
    const gz = gzipSync(text);
    const piece = pieceOf("cut.txt.gz", gz.subarray(0, gz.length - 100));
    expect(() => parseScap(piece, "cut", STATE, new EventBatch())).toThrow(
      `${piece.file}: corrupt gzip data (unexpected end of file) at byte ${gz.length - 100} of the gzip data`,
    );
  });
});
