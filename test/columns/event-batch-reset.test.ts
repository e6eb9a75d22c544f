/**
 * EventBatch.reset(): a batch reused after a reset gives the same record batch as a fresh one,
 * whatever the earlier rows were (nulls, sparse values, dictionary values, longer or shorter).
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { Table, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { StraceParser } from "../../stages/strace/parser.ts";
import { REPO_ROOT, listFiles } from "../util/datasets.ts";

function fill(batch: EventBatch, text: string, comm: string | null): Buffer {
  const parser = new StraceParser(
    {
      capture: comm ?? "none",
      fileTid: 7,
      firstLine: 1,
      startDay: 0,
      defaultState: { pos: -Infinity, phase: "unknown", comm, arch: "x86_64" },
      timelines: new Map(),
      atEof: true,
    },
    batch,
  );
  parser.parseText(text, /[\x80-\xff]/.test(text));
  parser.finish();
  return Buffer.from(tableToIPC(new Table(batch.toRecordBatch()), "stream"));
}

describe("EventBatch.reset", () => {
  it("a reused batch equals a fresh one", () => {
    const dir = path.join(REPO_ROOT, "datasets", "captures", "redis", "run-01");
    const texts = listFiles(dir)
      .filter((f) => f.endsWith(".gz"))
      .slice(0, 6)
      .map((f) => zlib.gunzipSync(fs.readFileSync(f)).toString("latin1"));
    texts.push("read(3, <unfinished ...>\nclose(4</x (deleted)>) = ? \n", "");
    const reused = new EventBatch();
    texts.forEach((text, i) => {
      const comm = i % 2 ? null : `c${i}`;
      reused.reset();
      const a = fill(reused, text, comm);
      const b = fill(new EventBatch(), text, comm);
      expect(a.equals(b)).toBe(true);
    });
  });
});
