/**
 * Calls strace could not name (`???(`, as in an aarch64 log the issue quotes: `[  35] ???(`).
 * strace 6.1 here prints `syscall_0x…` instead and `[???]` for the number (golden.yaml has those
 * real lines), so these lines are written by hand in the documented form. With `-n` the name comes
 * from the number and the task's personality; without it the call is `syscall_unknown`, never a
 * profile name: synthesize drops it with the reason and does not fail.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UNNAMED_SYSCALL } from "../../schemas/events.ts";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import { parseStraceText } from "../../stages/strace/parse-text.ts";
import { runCli } from "../util/cli.ts";

const tmp = mkdtempSync(join(tmpdir(), "sandmine-unnamed-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("??? calls", () => {
  it("takes the name from -n's number and the task's architecture", () => {
    const x86 = parseStraceText("[  35] ???(0x7ffd1000, NULL) = 0\n");
    expect(x86.rows.map((r) => [r.syscall, r.nr])).toEqual([["nanosleep", 35]]);
    // aarch64 numbers 35 as unlinkat
    const arm = parseStraceText("[  35] ???(0xffffff9c, 0x1, 0) = 0\n", { arch: "aarch64" });
    expect(arm.rows.map((r) => [r.syscall, r.nr])).toEqual([["unlinkat", 35]]);
  });

  it("keeps a number no table names as syscall_0x…", () => {
    const r = parseStraceText("[ 999] ???() = -1 ENOSYS (Function not implemented)\n");
    expect(r.rows.map((x) => [x.syscall, x.nr])).toEqual([["syscall_0x3e7", 999]]);
  });

  it(`without a number the call is ${UNNAMED_SYSCALL}, and it is counted`, () => {
    const r = parseStraceText('???(0x1, 0x2) = -1 ENOSYS (Function not implemented)\nread(0, "", 1) = 0\n');
    expect(r.rows.map((x) => [x.syscall, x.nr])).toEqual([
      [UNNAMED_SYSCALL, null],
      ["read", 0],
    ]);
    expect(r.rejects).toEqual([]);
  });

  it("ingest says so, and synthesize drops the call with its reason instead of failing", async () => {
    const cap = join(tmp, "app", "run-01");
    mkdirSync(join(tmp, "app"), { recursive: true });
    writeFileSync(
      cap,
      'execve("/bin/app", ["app"], 0x7ffd /* 1 var */) = 0\n???(0x1) = -1 ENOSYS (Function not implemented)\n' +
        '[ 999] ???() = -1 ENOSYS (Function not implemented)\nread(0, "", 1) = 0\nexit_group(0) = ?\n',
    );
    const ds = join(tmp, "ds");
    const ing = await runCli("ingest", cap, "--out", ds, "-q");
    expect(ing.code, ing.err).toBe(0);
    expect(ing.out).toContain(`1 call(s) strace printed as ??? without a number: kept as ${UNNAMED_SYSCALL}`);
    const out = join(tmp, "app.json");
    const s = await runCli("synthesize", ds, "--image", "app", "--out", out);
    expect(s.code, s.err).toBe(0);
    const report = JSON.parse(readFileSync(join(tmp, "app.report.json"), "utf8")) as ProfileReport;
    const names = report.syscalls.map((e) => e.name);
    expect(names).not.toContain(UNNAMED_SYSCALL);
    expect(names).not.toContain("syscall_0x3e7");
    expect(report.dropped.map((d) => d.name).sort()).toEqual(["syscall_0x3e7", UNNAMED_SYSCALL]);
  });
});
