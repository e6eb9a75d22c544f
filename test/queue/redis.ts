/**
 * A private redis-server for a test: on a free port of 127.0.0.1, no persistence, in a temporary
 * folder; stopped by its PID and the folder removed. `redisUnavailable()` says why it cannot run.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RedisServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Why no redis-server can be started (not installed), or null. */
export function redisUnavailable(): string | null {
  try {
    const v = execFileSync("redis-server", ["--version"], { encoding: "utf8" });
    return /v=(\d+)/.test(v) ? null : `redis-server --version printed ${JSON.stringify(v)}`;
  } catch {
    return "redis-server not installed (apt-get install redis-server; see .ci/packages)";
  }
}

/** A port nobody listens on just now (the kernel's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Starts redis-server and resolves once it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "sandmine-redis-"));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let log = "";
    const ready = await new Promise<boolean>((resolve) => {
      const onData = (b: Buffer) => {
        log += b.toString();
        if (log.includes("Ready to accept connections")) resolve(true);
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", () => resolve(false));
    });
    if (ready) {
      child.stdout!.resume();
      child.stderr!.resume();
      return {
        url: `redis://127.0.0.1:${port}`,
        pid: child.pid!,
        stop: async () => {
          process.kill(child.pid!, "SIGTERM");
          await exited(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    // someone took the port between the pick and the start: pick again
    if (attempt >= 5) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start:\n${log}`);
    }
  }
}
