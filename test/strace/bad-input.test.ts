/**
 * Hostile and malformed inputs: the parser must never throw or hang, must classify every line
 * (accounting invariant), and must reject what it cannot read with the documented reason.
 */
import { describe, expect, it } from "vitest";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { parseStraceText, type ParsedText } from "../../stages/strace/parse-text.ts";
import { REASON, StraceParser } from "../../stages/strace/parser.ts";
import { straceParser } from "../util/strace-parse.ts";

const T = 10_000; // per-test timeout: a hang is a failure, not a stuck CI job

function skipSum(r: { skips: ParsedText["skips"] }): number {
  return Object.values(r.skips).reduce((a, b) => a + (b ?? 0), 0);
}

function expectAccounted(r: ParsedText): void {
  expect(r.lines).toBe(r.eventLines + r.rejects.length + skipSum(r));
}

/** Seeded bytes (xorshift32), so a failure is reproducible. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The worker path: bytes read as latin1 and checked for UTF-8, as the ingest workers do. */
function parseBytes(bytes: Uint8Array): { lines: number; parser: StraceParser; batch: EventBatch } {
  const batch = new EventBatch();
  const parser = straceParser(batch, "bad");
  const lines = parser.parseText(Buffer.from(bytes).toString("latin1"), true);
  parser.finish();
  return { lines, parser, batch };
}

describe("bad input", () => {
  it(
    "a cut call whose next line starts with ` = ` (stderr output) does not hang",
    () => {
      // parseRet from offset 0 once searched ` = ` at 0 again and again (lastIndexOf(…, -1))
      const r = parseStraceText('[pid 5] write(2, "abc"\n = 3\n');
      expectAccounted(r);
      expect(r.rows).toEqual([]);
      expect(r.rejects.map((x) => x.reason)).toEqual([REASON.noReturn, REASON.notStrace]);
    },
    T,
  );

  it(
    "binary garbage (random bytes with NULs) is rejected line by line, never thrown",
    () => {
      for (const seed of [1, 2, 3, 0xdead]) {
        const bytes = randomBytes(64 * 1024, seed);
        const { lines, parser, batch } = parseBytes(bytes);
        const nl = bytes.filter((b) => b === 10).length;
        expect(lines).toBe(nl + (bytes[bytes.length - 1] === 10 ? 0 : 1));
        expect(lines).toBe(parser.eventLines + parser.rejects.length + skipSum(parser));
        expect(batch.toRecordBatch().numRows).toBe(parser.events);
      }
    },
    T,
  );

  it(
    "random bytes through parseStraceText (as a JS string, NULs included)",
    () => {
      const text = Buffer.from(randomBytes(32 * 1024, 77)).toString("latin1") + "\0\0\0\n";
      expectAccounted(parseStraceText(text));
    },
    T,
  );

  it(
    "empty text: nothing at all",
    () => {
      const r = parseStraceText("");
      expect(r).toMatchObject({ lines: 0, eventLines: 0, rows: [], rejects: [], skips: {} });
    },
    T,
  );

  it(
    "a call cut mid-arguments without a final newline is a truncatedLast reject",
    () => {
      const r = parseStraceText('getpid() = 7\nopenat(AT_FDCWD, "/etc/ld.so.ca');
      expect(r.lines).toBe(2);
      expect(r.rows.length).toBe(1);
      expect(r.rejects).toEqual([
        { line: 2, reason: REASON.truncatedLast, raw: 'openat(AT_FDCWD, "/etc/ld.so.ca' },
      ]);
      expectAccounted(r);
    },
    T,
  );

  it(
    "a complete last call without a final newline is still an event",
    () => {
      const r = parseStraceText("getpid() = 7");
      expect(r.rows.length).toBe(1);
      expect(r.rejects).toEqual([]);
    },
    T,
  );

  it(
    "a 1 MiB string argument parses to one event with the whole argument text",
    () => {
      const body = 'ab\\"c) = 1, <xy>'.repeat(65536); // 1 MiB of escapes, fake tails, commas, brackets
      expect(body.length).toBe(1 << 20);
      const args = `3, "${body}", 1048576`;
      const r = parseStraceText(`write(${args}) = 1048576\n`);
      expect(r.rows.length).toBe(1);
      const row = r.rows[0]!;
      expect((row.args_raw as string).length).toBe(args.length);
      expect(row).toMatchObject({ syscall: "write", arg0: 3n, arg1: null, arg2: 1048576n, ret: 1048576n });
      expectAccounted(r);
    },
    T,
  );

  it(
    "invalid UTF-8 bytes in a line: that line is rejected, the others parse",
    () => {
      const bytes = Buffer.concat([
        Buffer.from("getpid() = 7\n"),
        Buffer.from('openat(AT_FDCWD, "/tmp/'),
        Buffer.from([0xff, 0xfe, 0xc3]), // not UTF-8 (0xc3 starts a 2-byte sequence that never ends)
        Buffer.from('", O_RDONLY) = 3\n'),
        Buffer.from('openat(AT_FDCWD, "/tmp/caf\u00e9", O_RDONLY) = 4\n'), // valid 2-byte UTF-8
      ]);
      const { lines, parser, batch } = parseBytes(bytes);
      expect(lines).toBe(3);
      expect(parser.rejects.map((x) => [x.line, x.reason])).toEqual([[2, REASON.invalidUtf8]]);
      expect(parser.eventLines).toBe(2);
      const rb = batch.toRecordBatch();
      expect(rb.numRows).toBe(2);
      expect(rb.get(1)!.toJSON().path).toBe("/tmp/caf\u00e9");
    },
    T,
  );

  it(
    "an unknown syscall name is a reject with its line, never an event (whole, unfinished and its resumed half)",
    () => {
      const r = parseStraceText(
        [
          "frobnicate(1, 2) = 0",
          "getpid() = 7",
          "[pid 9] frobnicate(3 <unfinished ...>",
          "[pid 9] <... frobnicate resumed>) = 0",
          "syscall_0x1b6(0x1, 0x2) = -1 ENOSYS (Function not implemented)",
          "syscall_0xzz(1) = 0",
          "syscall_0x1bg(1) = 0",
        ].join("\n") + "\n",
      );
      expect(r.rows.map((x) => x.syscall)).toEqual(["getpid", "syscall_0x1b6"]);
      expect(r.rows[1]).toMatchObject({ nr: 0x1b6 });
      expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([
        [1, REASON.unknownName],
        [3, REASON.unknownName],
        [4, REASON.orphanResumed],
        [6, REASON.unknownName],
        [7, REASON.unknownName],
      ]);
      expect(r.rejects[0]!.raw).toBe("frobnicate(1, 2) = 0");
      expectAccounted(r);
    },
    T,
  );

  it(
    "an unknown flag symbol: value null, symbol kept in unknown_syms",
    () => {
      const r = parseStraceText('openat(AT_FDCWD, "/x", O_RDONLY|O_BOGUS) = 3\n');
      expect(r.rows[0]).toMatchObject({
        syscall: "openat",
        arg0: -100n,
        arg2: null,
        unknown_syms: "O_BOGUS",
        path: "/x",
        ret: 3n,
      });
    },
    T,
  );

  it(
    "prose is not strace: every line rejected as not strace output",
    () => {
      const prose = [
        "The strace tool intercepts and records the system calls called by a process.",
        "It is invaluable for debugging; see strace(1) for details.",
        "  Indented text, with (parentheses) = and equals signs.",
        "1984 was a year. So was 2024",
        "[pid] nothing here",
      ];
      const r = parseStraceText(prose.join("\n") + "\n");
      expect(r.rows).toEqual([]);
      expect(r.rejects.map((x) => x.reason)).toEqual(prose.map(() => REASON.notStrace));
      expectAccounted(r);
    },
    T,
  );

  it(
    "lines that look almost like strace never throw",
    () => {
      const odd = [
        "<... read resumed>) = 0", // resumed without a start
        "read(",
        'read(3, "', // unterminated string
        ") = 0",
        " = 5",
        "[pid 12] ",
        "[pid 12<x",
        "12 ",
        "--- SIGCHLD",
        "+++ exited",
        "getpid() = ",
        "getpid() = zz",
        "getpid() = 0x",
        "close(3<) = 0",
        "close(3</a>) = -1 E",
        'f("\\") = 1',
        "f(/*) = 1",
        "x(" + "(".repeat(10000) + ") = 1",
        "1.2.3 getpid() = 1",
        "99:99:99.999999 getpid() = 1",
        "<... resumed>",
        "[ 999999999999] getpid() = 1",
        "\t\t",
        "getpid() = 18446744073709551615",
        "getpid() = -9223372036854775809",
        "mmap(0xffffffffffffffffff, 1, PROT_READ, MAP_SHARED, 3, 0) = 0x7fffffffffffffffffff",
      ];
      const r = parseStraceText(odd.join("\n") + "\n");
      expect(r.lines).toBe(odd.length);
      expectAccounted(r);
    },
    T,
  );
});
