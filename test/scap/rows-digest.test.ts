/**
 * The rows built for every real capture stay byte-identical: a SHA-256 over the Arrow IPC of each
 * capture's `events` rows (and its accounting: lines, rejects, skips) is compared with the digests
 * committed in rows-digest.json. Each capture is read as x86_64 with phases off and on (`runtime`:
 * the phase tracker runs), as aarch64 (other names, other rejects) and split by container image;
 * sysdig 0.29.3's text and JSON outputs of the captures go through the same row joiner. A change to
 * the reader or the row builder that changes one byte of any row fails here; after an intended
 * change of the rows, `UPDATE_ROW_DIGESTS=1 npx vitest run test/scap/rows-digest.test.ts` rewrites
 * the snapshot (and the diff of rows-digest.json shows which captures changed).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Table, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import type { ContainerInfo } from "../../stages/scap/containers.ts";
import { trackContainer } from "../../stages/scap/containers.ts";
import { EVENT_LAYOUTS } from "../../stages/scap/block-ids.ts";
import { walkBlocks } from "../../stages/scap/blocks.ts";
import { ImageSplit, imagesOf } from "../../stages/scap/image-split.ts";
import { inflate } from "../../stages/scap/inflate.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { SysdigParser } from "../../stages/sysdig/parser.ts";
import { CAPTURES, capture, expected, scapAvailability } from "./captures.ts";

const SNAPSHOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "rows-digest.json");

function rowsDigest(batch: EventBatch): string {
  const ipc = tableToIPC(new Table(batch.toRecordBatch()), "stream");
  return createHash("sha256").update(ipc).digest("hex");
}

/** A capture with its event blocks repeated `times` (as the scap bench builds its input). */
function repeated(rel: string, times: number): Buffer {
  const src = inflate(capture(rel)).bytes;
  let first = -1;
  walkBlocks(src, {
    block: (type, offset) => {
      if (first < 0 && EVENT_LAYOUTS.has(type)) first = offset;
    },
    reject: () => {},
  });
  const events = src.subarray(first);
  return Buffer.concat([src.subarray(0, first), ...Array.from({ length: times }, () => events)]);
}

/** Digest of the rows and accounting of one capture read one way. */
function scapCase(rel: string, arch: string, phase: string, split: boolean, raw = capture(rel)): string {
  const batch = new EventBatch();
  let images: ImageSplit | null = null;
  const others = new Map<string, EventBatch>();
  if (split) {
    const containers = new Map<string, ContainerInfo>();
    readScap(raw, (ev) => trackContainer(containers, ev));
    images = new ImageSplit(imagesOf([...containers.values()]), others, "");
  }
  const p = new ScapParser({ capture: rel, arch, phase }, batch, images);
  p.parse(raw);
  const s = p.stats;
  const account = {
    lines: s.lines,
    events: p.events,
    eventLines: p.eventLines,
    unfinished: p.unfinishedNeverResumed,
    skipped: Object.entries(s.skipped).sort(),
    rejects: s.rejects,
    images: images === null ? [] : [...images.counts].sort(),
  };
  const parts = [rowsDigest(batch), JSON.stringify(account)];
  for (const image of [...others.keys()].sort()) parts.push(image, rowsDigest(others.get(image)!));
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

function sysdigCase(rel: string, text: string, format: "sysdig-text" | "sysdig-json"): string {
  const batch = new EventBatch();
  const p = new SysdigParser({ capture: rel, arch: "x86_64", phase: "runtime", format }, batch);
  p.parse(text);
  const account = [p.lines, p.events, p.eventLines, p.unfinishedNeverResumed, p.skipped, p.rejects];
  return createHash("sha256")
    .update(rowsDigest(batch) + "\n" + JSON.stringify(account))
    .digest("hex");
}

/** Every case's digest, by name. */
function digests(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of CAPTURES) {
    out[`${rel} x86_64 unknown`] = scapCase(rel, "x86_64", "unknown", false);
    out[`${rel} x86_64 runtime`] = scapCase(rel, "x86_64", "runtime", false);
    out[`${rel} aarch64 runtime`] = scapCase(rel, "aarch64", "runtime", false);
    out[`${rel} x86_64 runtime split`] = scapCase(rel, "x86_64", "runtime", true);
    for (const [suffix, format] of [
      [".txt", "sysdig-text"],
      [".pc.txt", "sysdig-text"],
      [".jsonl", "sysdig-json"],
      [".pc.jsonl", "sysdig-json"],
    ] as const) {
      const text = expected(rel, suffix);
      if (text !== null) out[`${rel} ${suffix} ${format}`] = sysdigCase(rel, text, format);
    }
  }
  for (const rel of ["falcosecurity-libs/curl_google.scap", "falcosecurity-libs/sample.scap"]) {
    out[`${rel} events x3 x86_64 runtime`] = scapCase(rel, "x86_64", "runtime", false, repeated(rel, 3));
  }
  return out;
}

describe.skipIf(scapAvailability.skipReason !== null)("rows of every real capture", () => {
  it("are byte-identical to the committed digests (rows-digest.json)", () => {
    const got = digests();
    if (process.env.UPDATE_ROW_DIGESTS === "1") {
      fs.writeFileSync(SNAPSHOT, JSON.stringify(got, null, 2) + "\n");
    }
    const want = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")) as Record<string, string>;
    expect(Object.keys(got).length).toBeGreaterThanOrEqual(CAPTURES.length * 4);
    expect(got).toEqual(want);
  });
});
