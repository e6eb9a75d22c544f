/**
 * Golden tests: real strace lines (golden.yaml, with file:line provenance) parsed into events whose
 * listed fields were checked by hand against the kernel headers and the constant tables.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseStraceText, type ParseTextOptions } from "../../stages/strace/parse-text.ts";
import { REASON } from "../../stages/strace/parser.ts";

type Scalar = string | number | boolean | null;

interface GoldenCase {
  name: string;
  src: string;
  opts?: { fileTid?: number; arch?: string };
  input: string[];
  rows: Record<string, Scalar>[];
  rejects?: { line: number; reason: keyof typeof REASON }[];
  skips?: Record<string, number>;
}

/** Columns holding 64-bit integers: compared as bigint (YAML may give "0x…" or "-100" strings). */
const BIGINT_COLUMNS = new Set([
  "seq",
  "ts_ns",
  "arg0",
  "arg1",
  "arg2",
  "arg3",
  "arg4",
  "arg5",
  "ret",
  "duration_ns",
]);

function expectedValue(col: string, v: Scalar): unknown {
  if (v === null || !BIGINT_COLUMNS.has(col)) return v;
  if (typeof v === "boolean") throw new Error(`bad value for ${col}: ${v}`);
  return BigInt(v); // BigInt("0x3d0f00"), BigInt("-100"), BigInt(12)
}

const here = path.dirname(fileURLToPath(import.meta.url));
const cases = parse(fs.readFileSync(path.join(here, "golden.yaml"), "utf8")) as GoldenCase[];

describe("golden real strace lines", () => {
  it("has at least 70 real lines from every source", () => {
    expect(cases.reduce((n, c) => n + c.input.length, 0)).toBeGreaterThanOrEqual(70);
    const sources = new Set(cases.map((c) => c.src.split("/")[0]));
    expect([...sources].sort()).toEqual([
      "arastoob-strace-parser",
      "pdtpartners-nix-snapshotter",
      "redis-benchmark-run",
      "sandmine-styles",
      "tracecode-toolkit-strace",
    ]);
  });

  it.each(cases.map((c) => [`${c.name} (${c.src})`, c] as const))("%s", (_title, c) => {
    const text = c.input.join("\n") + "\n";
    const opts: ParseTextOptions = { capture: "golden", ...c.opts };
    const r = parseStraceText(text, opts);

    // every line accounted for
    const skipSum = Object.values(r.skips).reduce((a, b) => a + (b ?? 0), 0);
    expect(r.lines).toBe(c.input.length);
    expect(r.lines).toBe(r.eventLines + r.rejects.length + skipSum);

    expect(r.rejects.map((x) => ({ line: x.line, reason: x.reason }))).toEqual(
      (c.rejects ?? []).map((x) => ({ line: x.line, reason: REASON[x.reason] })),
    );
    expect(r.skips).toEqual(c.skips ?? {});

    expect(r.rows.length).toBe(c.rows.length);
    c.rows.forEach((want, i) => {
      const got = r.rows[i]!;
      const gotPicked: Record<string, unknown> = {};
      const wantConv: Record<string, unknown> = {};
      for (const [col, v] of Object.entries(want)) {
        if (!(col in got)) throw new Error(`golden.yaml names unknown column ${col}`);
        gotPicked[col] = got[col];
        wantConv[col] = expectedValue(col, v);
      }
      expect(gotPicked, `row ${i} of ${c.name}`).toEqual(wantConv);
      // constant facts of every strace row
      expect(got.format).toBe("strace");
      expect(got.arch).toBe(c.opts?.arch ?? "x86_64");
      if (c.opts?.fileTid !== undefined) expect(got.tid).toBe(c.opts.fileTid);
    });
  });
});

/** Parser bugs found while writing the golden cases, now fixed: these keep them fixed. */
describe("regressions of fixed parser bugs", () => {
  // Real line: redis-benchmark-run/trace.25477:6 (also arastoob 1494). For FUTEX_WAIT_BITSET strace
  // prints uaddr, op, val, timeout, val3 — it omits uaddr2 (kernel arg4). The parser maps printed
  // arguments by position, so val3 (FUTEX_BITSET_MATCH_ANY = 0xffffffff) lands in arg4, not arg5.
  it("futex WAIT_BITSET: val3 is kernel arg5 (strace skips uaddr2)", () => {
    const line =
      "04:58:46.100037 futex(0x5556dd140be8, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, 0xffffffff) = ?\n";
    const row = parseStraceText(line, { fileTid: 25477 }).rows[0]!;
    expect(row.arg4).toBeNull();
    expect(row.arg5).toBe(0xffffffffn);
  });

  // Synthetic line in strace's i386 form. On 32-bit x86 the kernel's clone is CLONE_BACKWARDS
  // (flags, newsp, parent_tidptr, tls, child_tidptr), but the parser's named-argument map is the
  // x86_64 order (… child_tidptr, tls) whatever the arch.
  it("clone on i386: child_tidptr is kernel arg4 (CLONE_BACKWARDS)", () => {
    const line =
      "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0xf7d0d768) = 123\n";
    const row = parseStraceText(line, { arch: "i386" }).rows[0]!;
    expect(row.nr).toBe(120);
    expect(row.arg0).toBe(0x1200011n);
    expect(row.arg3).toBeNull();
    expect(row.arg4).toBe(0xf7d0d768n);
  });
});
