/**
 * Descriptors of deleted files under `-y`/`-yy`: strace 6 prints the mark after the decoration
 * (`3</tmp/#123>(deleted)`, in arguments and in return values), older versions ` (deleted)` after
 * it or inside it. Found on a real MariaDB recording (`O_TMPFILE` opens were rejected as lines
 * without a return); the lines below are this machine's strace 6.1 output. Both parse paths
 * (bytes and strings) give the same rows (checkStraceChunk). The live case needs strace (CI installs it).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseStraceText } from "../../stages/strace/parse-text.ts";
import { checkStraceChunk } from "../fuzz/strace-parse.ts";

const STRACE6 = [
  'openat(AT_FDCWD</tmp>, "/tmp", O_RDWR|O_CLOEXEC|O_TMPFILE, 0600) = 3</tmp/#2151810>(deleted)',
  'write(3</tmp/#2151810>(deleted), "x", 1) = 1',
  'write(4</tmp/zzdel>(deleted), "y", 1)   = 1',
  "close(4</tmp/zzdel>(deleted))           = 0",
  '1796609356.369816 openat(AT_FDCWD</var/lib/mysql>, "/tmp", O_RDWR|O_TRUNC|O_CLOEXEC|O_TMPFILE, 0660) = 7</tmp/#3672659>(deleted) <0.000108>',
];
const OLDER = [
  'write(5</tmp/#1> (deleted), "x", 1) = 1',
  'openat(AT_FDCWD, "/tmp", O_RDWR|O_TMPFILE, 0600) = 6</tmp/#1 (deleted)>',
];

describe("deleted files' descriptors (-y)", () => {
  it("strace 6's `>(deleted)`: every line an event, the path without the mark, fd_deleted set", () => {
    // bytes and strings paths: the same rows and counts, known names only
    checkStraceChunk([{ bytes: Buffer.from(STRACE6.join("\n") + "\n"), fileTid: -1, arch: "x86_64" }]);
    {
      const r = parseStraceText(STRACE6.join("\n") + "\n");
      expect(r.rejects).toEqual([]);
      expect(r.rows.map((x) => [x.syscall, x.arg0, x.fd_path, x.fd_deleted, x.ret, x.ret_path])).toEqual([
        ["openat", -100n, "/tmp", false, 3n, "/tmp/#2151810"],
        ["write", 3n, "/tmp/#2151810", true, 1n, null],
        ["write", 4n, "/tmp/zzdel", true, 1n, null],
        ["close", 4n, "/tmp/zzdel", true, 0n, null],
        ["openat", -100n, "/var/lib/mysql", false, 7n, "/tmp/#3672659"],
      ]);
      expect(r.rows[1]).toMatchObject({ arg2: 1n });
      expect(r.rows[4]!.duration_ns).toBe(108_000n);
    }
  });

  it("older strace's ` (deleted)` still reads as before", () => {
    const r = parseStraceText(OLDER.join("\n") + "\n");
    expect(r.rejects).toEqual([]);
    expect(r.rows.map((x) => [x.fd_path, x.fd_deleted, x.ret_path])).toEqual([
      ["/tmp/#1", true, null],
      [null, false, "/tmp/#1 (deleted)"],
    ]);
  });
});

const hasStrace = spawnSync("strace", ["-V"]).status === 0;
if (!hasStrace && process.env.CI) throw new Error("strace is required under CI (apt-get install strace)");

describe.skipIf(!hasStrace)("deleted files in a live capture (strace on this machine)", () => {
  const tmp = mkdtempSync(join(tmpdir(), "sandmine-deleted-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  for (const flag of ["-y", "-yy"]) {
    it(`${flag}: writes to an unlinked file are events on a deleted descriptor, nothing rejected`, () => {
      const out = join(tmp, `trace${flag}`);
      const file = join(tmp, "gone");
      // the shell opens the file on fd 3, unlinks it and writes through the descriptor
      const script = `exec 3<>'${file}'; rm '${file}'; echo hi >&3; exec 3>&-`;
      execFileSync("strace", ["-f", flag, "-o", out, "sh", "-c", script], { stdio: "ignore" });
      const r = parseStraceText(readFileSync(out, "utf8"));
      expect(r.rejects).toEqual([]);
      // the shell writes through fd 1, a dup2 of fd 3
      const w = r.rows.find((x) => x.syscall === "write" && x.fd_path === file);
      expect(w, "the shell's write to the unlinked file").toBeDefined();
      expect(w!.fd_deleted).toBe(true);
      const dup = r.rows.find((x) => x.syscall === "dup2" && x.arg0 === 3n);
      expect(dup?.ret_path).toBe(file);
    });
  }
});
