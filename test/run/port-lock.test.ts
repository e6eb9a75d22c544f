/**
 * Host ports across processes (pipeline/host/port-lock.ts): a second run waits while another live
 * process holds the port, and takes over the lock of a process that is gone (killed with SIGKILL).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "sandmine-ports-"));
process.env.SANDMINE_PORT_LOCKS = dir;
const { lockPort } = await import("../../pipeline/host/port-lock.ts");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("host port lock", () => {
  it("waits for a live holder, then takes the port when that process is gone", async () => {
    const other = spawn("sleep", ["60"], { stdio: "ignore" });
    const file = join(dir, "18080");
    writeFileSync(file, `${other.pid}\n`);
    const said: string[] = [];
    let got = false;
    const p = lockPort(18080, (m) => said.push(m)).then((r) => {
      got = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 2500));
    expect(got).toBe(false);
    expect(said.join()).toContain(`process ${other.pid}`);
    const gone = new Promise((r) => other.on("exit", r));
    other.kill("SIGKILL");
    await gone;
    const release = await p;
    expect(readFileSync(file, "utf8").trim()).toBe(String(process.pid));
    release();
    expect(existsSync(file)).toBe(false);
  }, 30_000);

  it("a release given twice does not free another session's hold", async () => {
    const first = await lockPort(18081, () => {});
    first();
    const second = await lockPort(18081, () => {});
    first();
    expect(existsSync(join(dir, "18081"))).toBe(true);
    second();
    expect(existsSync(join(dir, "18081"))).toBe(false);
  });
});
