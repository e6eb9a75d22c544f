/**
 * The scap parser on every real capture: each block is accounted for, enter and exit events are
 * joined into rows with kernel values, and generic events get their real syscall names.
 */
import type { RecordBatch } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { ScapParser } from "../../stages/scap/parser.ts";
import { CAPTURES, capture, scapAvailability } from "./captures.ts";

function parse(rel: string): { p: ScapParser; rb: RecordBatch } {
  const batch = new EventBatch();
  const p = new ScapParser({ capture: rel, arch: "x86_64", phase: "unknown" }, batch);
  p.parse(capture(rel));
  return { p, rb: batch.toRecordBatch() };
}

function row(rb: RecordBatch, pred: (r: Record<string, unknown>) => boolean): Record<string, unknown> {
  for (let i = 0; i < rb.numRows; i++) {
    const r = rb.get(i)!.toJSON() as Record<string, unknown>;
    if (pred(r)) return r;
  }
  throw new Error("no such row");
}

describe.skipIf(scapAvailability.skipReason !== null)("scap parser", () => {
  it.each(CAPTURES)("%s: lines = event lines + rejected + skipped, no rejects", (rel) => {
    const { p, rb } = parse(rel);
    const skipped = Object.values(p.skipped).reduce((a, c) => a + c, 0);
    expect(p.stats.lines).toBe(p.eventLines + p.stats.rejects.length + skipped);
    expect(p.stats.rejects).toEqual([]);
    expect(rb.numRows).toBe(p.events);
  });

  it("joins enter and exit: openat of ld.so.cache in curl_google with kernel flags, ret, duration", () => {
    const { rb } = parse("falcosecurity-libs/curl_google.scap");
    const r = row(rb, (x) => x.syscall === "open" && x.path === "/etc/ld.so.cache");
    expect(r).toMatchObject({ format: "scap", tid: 17497, pid: 17497, comm: "curl", arch: "x86_64", nr: 2 });
    expect(r.arg1).toBe(0o2000000n); // O_RDONLY|O_CLOEXEC in kernel values (PPM 4097)
    expect(r.ret).toBe(3n);
    expect(Number(r.duration_ns)).toBeGreaterThan(0);
    expect(r.args_raw).toMatch(/flags=4097\(O_RDONLY\|O_CLOEXEC\)/);
  });

  it("errno from negative returns, socket family and kernel mmap flags", () => {
    const { rb } = parse("falcosecurity-falco/cat_write.scap");
    expect(row(rb, (x) => x.syscall === "access")).toMatchObject({
      errno: 2,
      errno_name: "ENOENT",
      ret: -2n,
    });
    const m = row(rb, (x) => x.syscall === "mmap");
    expect([m.arg2, m.arg3, m.arg4]).toEqual([3n, 0x22n, -1n]); // PROT_READ|WRITE, MAP_PRIVATE|ANONYMOUS, fd -1
    const { rb: rb2 } = parse("falcosecurity-libs/single_ipv6_conn.scap");
    expect(row(rb2, (x) => x.syscall === "socket" && x.arg0 === 10n)).toMatchObject({
      sa_family: null,
      arg1: 1n,
      arg2: 6n,
    });
    const families = new Set<unknown>();
    for (let i = 0; i < rb2.numRows; i++) {
      const r = rb2.get(i)!.toJSON();
      if (r.syscall === "connect") families.add(r.sa_family);
    }
    expect(families.has(10)).toBe(true); // the IPv6 connect's tuple
  });

  it("generic events get their real names and numbers (PPM_SC code, native number)", () => {
    const { rb } = parse("falcosecurity-falco/cat_write.scap");
    expect(row(rb, (x) => x.syscall === "mprotect")).toMatchObject({ nr: 10 });
    expect(row(rb, (x) => x.syscall === "fadvise64")).toMatchObject({ nr: 221 });
    expect(row(rb, (x) => x.syscall === "arch_prctl")).toMatchObject({ nr: 158 });
  });

  it("counts procinfo, switch and container events as skips by kind", () => {
    expect(parse("falcosecurity-falco/empty.scap").p.skipped.procinfo).toBe(143);
    expect(parse("falcosecurity-libs/sample.scap").p.skipped.switch).toBe(228);
    expect(parse("falcosecurity-falco/psp/privileged.scap").p.skipped.container).toBeGreaterThan(0);
  });

  it("takes the container id from the threads' cgroups", () => {
    const { rb } = parse("falcosecurity-falco/psp/run_as_user_65534_container.scap");
    const ids = new Set<unknown>();
    for (let i = 0; i < rb.numRows; i++) ids.add(rb.get(i)!.toJSON().container_id);
    expect([...ids].some((x) => typeof x === "string" && /^[0-9a-f]{12}$/.test(x))).toBe(true);
  });
});
