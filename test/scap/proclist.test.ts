/**
 * Process list blocks of every version: the real ones in the captures (v5, v6, v8, v9) and built
 * ones for all nine layouts (libscap scap_read_proclist), read back to tid, pid, comm, container.
 */
import { describe, expect, it } from "vitest";
import { PROCLIST_VERSIONS } from "../../stages/scap/block-ids.ts";
import { walkBlocks } from "../../stages/scap/blocks.ts";
import { inflate } from "../../stages/scap/inflate.ts";
import { readProclist, type ThreadInfo } from "../../stages/scap/proclist.ts";
import { capture, scapAvailability } from "./captures.ts";

const u16 = (n: number): Buffer => Buffer.from(new Uint16Array([n]).buffer);
const u32 = (n: number): Buffer => Buffer.from(new Uint32Array([n]).buffer);
const u64 = (n: number): Buffer => Buffer.from(new BigInt64Array([BigInt(n)]).buffer);
const str = (s: string): Buffer => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);

/** One thread entry laid out as version `v` writes it. */
function entry(v: number, tid: number, pid: number, comm: string, cgroups: string): Buffer {
  const parts = [u64(tid), u64(pid), u64(1)];
  if (v >= 6) parts.push(u64(tid)); // sid
  if (v >= 8) parts.push(u64(tid)); // vpgid
  parts.push(str(comm), str(`/usr/bin/${comm}`));
  if (v >= 7) parts.push(str(`/usr/bin/${comm}`)); // exepath
  parts.push(str(`${comm}\0-x\0`), str("/"), u64(1024), u32(0), u32(0), u32(0));
  if (v >= 2) parts.push(u32(100), u32(50), u32(0), u64(1), u64(2));
  if (v >= 3) parts.push(str("PATH=/bin\0"));
  if (v >= 4) parts.push(u64(tid), u64(pid), str(cgroups));
  if (v >= 5) parts.push(str("/"));
  if (v >= 9) parts.push(u32(1000), Buffer.from([0]), u64(0), u64(0), u64(0), Buffer.from([7, 7, 7])); // later fields, skipped by sub_len
  const body = Buffer.concat(parts);
  return v >= 9 ? Buffer.concat([u32(body.length + 4), body]) : body;
}

const CG = `cpuset=/docker/${"ab12".repeat(16)}\0cpu=/\0`;

describe("process list blocks", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9])("version %d: every entry read", (v) => {
    const body = Buffer.concat([
      entry(v, 10, 10, "nginx", CG),
      entry(v, 11, 10, "worker", ""),
      Buffer.alloc(2),
    ]);
    const threads = new Map<number, ThreadInfo>();
    expect(readProclist(body, 0, body.length, v, threads)).toBe(true);
    expect(threads.get(10)).toEqual({
      pid: 10,
      comm: "nginx",
      containerId: v >= 4 ? "ab12ab12ab12" : null,
      cwd: "/",
    });
    expect(threads.get(11)).toEqual({ pid: 10, comm: "worker", containerId: null, cwd: "/" });
  });

  it("a cut entry stops the block without failing the read", () => {
    const body = entry(5, 10, 10, "nginx", CG);
    expect(readProclist(body, 0, body.length - 9, 5, new Map())).toBe(false);
  });
});

describe.skipIf(scapAvailability.skipReason !== null)("process lists of the real captures", () => {
  it.each([
    ["falcosecurity-libs/curl_google.scap", 5, 54],
    ["falcosecurity-falco/cat_write.scap", 6, 73],
    ["falcosecurity-falco/syscall.scap", 8, 229],
    ["falcosecurity-libs/sample.scap", 9, 94],
  ])("%s: version %d, %d threads, pid 1 is systemd", (rel, version, count) => {
    const b = inflate(capture(rel)).bytes;
    const threads = new Map<number, ThreadInfo>();
    walkBlocks(b, {
      block: (type, offset, length) => {
        const v = PROCLIST_VERSIONS.get(type);
        if (v === undefined) return;
        expect(v).toBe(version);
        expect(readProclist(b, offset + 8, offset + length - 4, v, threads)).toBe(true);
      },
      reject: () => {},
    });
    expect(threads.size).toBe(count);
    expect(threads.get(1)).toMatchObject({ pid: 1, comm: "systemd" });
  });
});
