/**
 * Records a real program with this machine's strace in every style the reader supports and
 * ingests it: fresh output of the installed strace, not only stored captures. Needs strace
 * (CI installs it; locally the test skips when it is missing, and fails under CI=true).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseStraceText } from "../../stages/strace/parse-text.ts";

const hasStrace = spawnSync("strace", ["-V"]).status === 0;
if (!hasStrace && process.env.CI) throw new Error("strace is required under CI (apt-get install strace)");

const tmp = mkdtempSync(join(tmpdir(), "sandmine-live-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PROGRAM = [
  "sh",
  "-c",
  "ls / > /dev/null; cat /etc/hostname /nonexistent 2>/dev/null; (sleep 0.01 &); wait",
];

const STYLES: Record<string, string[]> = {
  "-f -o": ["-f"],
  "-f -tt -T -yy": ["-f", "-tt", "-T", "-yy"],
  "-f -ttt -X raw": ["-f", "-ttt", "-X", "raw"],
  "-f --timestamps=ns -X verbose -n": ["-f", "--timestamps=format:unix,precision:ns", "-X", "verbose", "-n"],
  "-f -r -i -s 4": ["-f", "-r", "-i", "-s", "4"],
};

describe.skipIf(!hasStrace)("live strace captures (strace on this machine)", () => {
  for (const [name, flags] of Object.entries(STYLES)) {
    it(`reads ${name} with nothing rejected`, () => {
      const out = join(tmp, name.replace(/[^a-z0-9]+/gi, "_"));
      execFileSync("strace", [...flags, "-o", out, ...PROGRAM], { stdio: "ignore" });
      const text = readFileSync(out, "utf8");
      const r = parseStraceText(text);
      expect(r.rejects).toEqual([]);
      expect(r.lines).toBe(r.eventLines + Object.values(r.skips).reduce((a, b) => a + (b ?? 0), 0));
      const names = new Set(r.rows.map((x) => x.syscall));
      for (const s of ["execve", "openat", "read", "close", "exit_group"]) expect(names).toContain(s);
      // the failing open of /nonexistent is ENOENT with its path
      const failed = r.rows.find((x) => x.path === "/nonexistent");
      expect(failed?.errno).toBe(2);
      // more than one task (the shell forks), each row has a pid
      expect(new Set(r.rows.map((x) => x.tid)).size).toBeGreaterThan(1);
    });
  }

  it("reads -ff folders with the task id from each file name", () => {
    const dir = join(tmp, "ff");
    execFileSync("mkdir", ["-p", dir]);
    execFileSync("strace", ["-ff", "-tt", "-o", join(dir, "trace"), ...PROGRAM], { stdio: "ignore" });
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      const tid = Number(f.split(".").pop());
      const r = parseStraceText(readFileSync(join(dir, f), "utf8"), { fileTid: tid });
      expect(r.rejects).toEqual([]);
      expect(new Set(r.rows.map((x) => x.tid))).toEqual(new Set([tid]));
    }
  });
});
