/**
 * Phases of scap rows with strace's markers: a real capture (curl_google.scap) with a seccomp
 * filter load injected before curl's execve, ingested end to end, gives runtime → init → workload
 * (the thread curl clones inherits); the capture as recorded has no filter load: all unknown.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { readScap } from "../../stages/scap/reader.ts";
import { runCli } from "../util/cli.ts";
import { capture, scapAvailability } from "./captures.ts";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-phases-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A v2 event block (0x216) of `type` for `tid` at `ts` with 8-byte integer parameters. */
function eventBlock(type: number, tid: number, ts: bigint, values: bigint[]): Buffer {
  const evLen = 26 + 2 * values.length + 8 * values.length;
  const body = 2 + evLen;
  const len = 8 + Math.ceil(body / 4) * 4 + 4;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(0x216, 0);
  b.writeUInt32LE(len, 4);
  let p = 10; // after the block header and the cpu id
  b.writeBigUInt64LE(ts, p);
  b.writeBigUInt64LE(BigInt(tid), p + 8);
  b.writeUInt32LE(evLen, p + 16);
  b.writeUInt16LE(type, p + 20);
  b.writeUInt32LE(values.length, p + 22);
  p += 26;
  values.forEach((_v, i) => b.writeUInt16LE(8, p + 2 * i));
  p += 2 * values.length;
  values.forEach((v, i) => b.writeBigInt64LE(v, p + 8 * i));
  b.writeUInt32LE(len, len - 4);
  return b;
}

async function phases(out: string): Promise<{ tid: number; syscall: string; phase: string }[]> {
  return withDb((db) =>
    db.query(
      `SELECT tid, syscall, phase FROM read_parquet(${quoteString(join(out, "events", "*", "*", "*.parquet"))}) ORDER BY seq`,
    ),
  );
}

describe.skipIf(scapAvailability.skipReason !== null)("phases of scap rows", () => {
  it("are unknown in a capture without a filter load", async () => {
    const f = join(tmp, "plain.scap");
    writeFileSync(f, capture("falcosecurity-libs/curl_google.scap"));
    const out = join(tmp, "plain");
    expect((await runCli("ingest", f, "--out", out, "-q")).code).toBe(0);
    expect(new Set((await phases(out)).map((r) => r.phase))).toEqual(new Set(["unknown"]));
  });

  it("follow a seccomp filter load and the next execve, and pass to a cloned thread", async () => {
    const src = gunzipSync(capture("falcosecurity-libs/curl_google.scap"));
    let at = -1;
    let ts = 0n;
    readScap(src, (ev, num) => {
      if (num === 211) [at, ts] = [ev.offset - 10, ev.ts]; // curl's execve exit (v1 block, no flags)
    });
    expect(at).toBeGreaterThan(0);
    const f = join(tmp, "filter.scap");
    writeFileSync(
      f,
      Buffer.concat([
        src.subarray(0, at),
        eventBlock(298, 17497, ts - 2n, [1n, 0n]), // seccomp(SECCOMP_SET_MODE_FILTER, 0) enter
        eventBlock(299, 17497, ts - 1n, [0n]), // exit, res=0
        src.subarray(at),
      ]),
    );
    const out = join(tmp, "filter");
    const r = await runCli("ingest", f, "--out", out, "-q");
    expect(r.code, r.err).toBe(0);
    const rows = await phases(out);
    expect(rows.slice(0, 2)).toEqual([
      { tid: 17497, syscall: "seccomp", phase: "runtime" },
      { tid: 17497, syscall: "execve", phase: "init" },
    ]);
    const rest = rows.slice(2);
    expect(new Set(rest.map((x) => x.phase))).toEqual(new Set(["workload"]));
    expect(rest.filter((x) => x.tid === 17498).length).toBeGreaterThan(50);
  });
});
