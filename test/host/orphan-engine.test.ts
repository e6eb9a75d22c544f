/**
 * A run killed with SIGKILL never reaches its cleanup: its private dockerd, containerd, the
 * container's shim and the container itself stay up, and /var/tmp/sandmine-dockerd.* stays
 * mounted. The next engine start (pipeline/host/dockerd.ts stopOrphanEngines) finds the folder by
 * its owner file, sees the owner is gone, and stops what it left by PID and removes the folder;
 * an engine whose owner is alive is left alone. Needs root, Docker, runc, strace and
 * busybox-static: skipped without them, failing under CI=true.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { orphanEngines, ownerStamp, stopOrphanEngines } from "../../pipeline/host/dockerd.ts";
import { pidAlive } from "../../pipeline/pid-alive.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { hostMissing } from "./prereqs.ts";

const missing = hostMissing();
if (missing.length > 0 && process.env.CI)
  throw new Error(`orphan engine test needs ${missing.join(", ")}; required when CI is set`);

interface Left {
  state: string;
  dockerd: number;
  containerd: number;
  container: number;
}

/** Runs the fixture (it SIGKILLs itself) and returns what it printed it had started. */
function killedRun(): Promise<{ left: Left; signal: string | null; err: string }> {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "test/host/fixtures/engine-then-sigkill.ts")],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", rej);
    child.on("close", (_code, signal) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (!line) return rej(new Error(`the fixture printed nothing (signal ${signal}):\n${err}`));
      res({ left: JSON.parse(line) as Left, signal, err });
    });
  });
}

const commOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
};

describe.skipIf(missing.length > 0)(
  `orphaned engines of a killed run${missing.length ? ` (skipped: missing ${missing.join(", ")})` : ""}`,
  () => {
    it("stops the dockerd, containerd and container a SIGKILLed run left, by PID, and removes its folder", async () => {
      const { left, signal } = await killedRun();
      expect(signal).toBe("SIGKILL");
      // what the killed run left behind
      expect(commOf(left.dockerd)).toBe("dockerd");
      expect(commOf(left.containerd)).toBe("containerd");
      expect(pidAlive(left.container)).toBe(true);
      expect(existsSync(left.state)).toBe(true);
      expect(orphanEngines().map((e) => e.state)).toContain(left.state);

      const logs: string[] = [];
      expect(await stopOrphanEngines((s) => logs.push(s))).toBeGreaterThanOrEqual(1);
      expect(logs.join("\n")).toContain(left.state);
      expect(pidAlive(left.dockerd)).toBe(false);
      expect(pidAlive(left.containerd)).toBe(false);
      expect(pidAlive(left.container)).toBe(false);
      expect(existsSync(left.state)).toBe(false);
      expect(readFileSync("/proc/self/mounts", "utf8")).not.toContain(left.state);
      expect(orphanEngines().map((e) => e.state)).not.toContain(left.state);
    }, 300_000);

    it("leaves an engine alone while its owner runs, and sweeps one whose PID was reused", async () => {
      const state = mkdtempSync("/var/tmp/sandmine-dockerd.");
      try {
        writeFileSync(join(state, "owner.pid"), ownerStamp(process.pid)!);
        expect(orphanEngines().map((e) => e.state)).not.toContain(state);
        // the same PID with another start time: the owner died and its PID went to a new process
        writeFileSync(join(state, "owner.pid"), `${process.pid} 1\n`);
        const found = orphanEngines().find((e) => e.state === state);
        expect(found?.pid).toBeNull(); // killed before dockerd was launched: only the folder
        await stopOrphanEngines(() => {});
        expect(existsSync(state)).toBe(false);
      } finally {
        rmSync(state, { recursive: true, force: true });
      }
    });
  },
);
