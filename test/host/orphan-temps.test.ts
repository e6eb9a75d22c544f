/**
 * A host run killed with SIGKILL leaves its temporary folders (validate's work folder, probes,
 * traces, runc state, image trees); the next engine start removes those whose owner is gone
 * (pipeline/host/owned-temp.ts removeOrphanTemps), never one whose owner lives or one without an
 * owner marker, and never what is mounted below one. The sweep runs on a private root here.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Cleanup } from "../../pipeline/host/cleanup.ts";
import { ownedTempDir, removeOrphanTemps } from "../../pipeline/host/owned-temp.ts";
import { REPO_ROOT } from "../util/datasets.ts";

const root = mkdtempSync(join(tmpdir(), "sandmine-orphan-temps-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the fixture (it SIGKILLs itself) and returns the folder it left. */
function killedRun(): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "test/host/fixtures/temp-then-sigkill.ts"), root],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", rej);
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL" ? res(out.trim()) : rej(new Error(`fixture: ${signal}`)),
    );
  });
}

describe("temporary folders of a killed run", () => {
  it("are removed by the next sweep; a live owner's, an unmarked and a fresh one stay", async () => {
    const killed = await killedRun();
    expect(readFileSync(join(killed, "profile.json"), "utf8")).toBe("{}\n");
    expect(existsSync(`${killed}.owner`)).toBe(true);
    const cleanup = new Cleanup();
    const mine = ownedTempDir(cleanup, "probes", root);
    const unmarked = join(root, "sandmine-validate.unmarked");
    mkdirSync(unmarked);
    // a PID reused by a later process: same number, another start time
    const reused = join(root, "sandmine-traces.reused");
    mkdirSync(reused);
    writeFileSync(`${reused}.owner`, `${process.pid} 1\n`);
    const log: string[] = [];
    expect(await removeOrphanTemps((s) => log.push(s), root)).toBe(2);
    expect(existsSync(killed)).toBe(false);
    expect(existsSync(`${killed}.owner`)).toBe(false);
    expect(existsSync(reused)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(unmarked)).toBe(true);
    expect(log.join("\n")).toContain(`removing ${killed}, left by a killed run`);
    expect(await removeOrphanTemps(() => {}, root)).toBe(0);
    await cleanup.runAll(() => {});
    expect(existsSync(mine)).toBe(false);
    expect(existsSync(`${mine}.owner`)).toBe(false);
  }, 120_000);

  const root0 = process.getuid?.() === 0;
  if (!root0 && process.env.CI) throw new Error("the mount case needs root; required when CI is set");
  it.skipIf(!root0)(
    "unmounts what is mounted below a killed run's folder and keeps the mounted tree",
    async () => {
      const killed = await killedRun();
      const tree = mkdtempSync(join(root, "tree-"));
      writeFileSync(join(tree, "keep"), "x");
      mkdirSync(join(killed, "rootfs"));
      expect(spawnSync("mount", ["--bind", tree, join(killed, "rootfs")]).status).toBe(0);
      expect(await removeOrphanTemps(() => {}, root)).toBe(1);
      expect(existsSync(killed)).toBe(false);
      expect(readFileSync(join(tree, "keep"), "utf8")).toBe("x");
    },
    120_000,
  );
});
