/**
 * The docker client, pointed at one engine. Every container and image made through it is
 * registered with the run's Cleanup, so it is removed at the end whatever happens.
 */
import { randomBytes } from "node:crypto";
import type { Cleanup } from "./cleanup.ts";
import type { Engine } from "./types.ts";
import { run, runOk, type RunOptions, type RunResult } from "./proc.ts";

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(4).toString("hex")}`;

export class Docker {
  constructor(
    readonly engine: Engine,
    private readonly cleanup: Cleanup,
  ) {}

  /** Environment for commands that call `docker` themselves (host-side tests). */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, DOCKER_HOST: this.engine.host };
  }

  run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return run("docker", ["-H", this.engine.host, ...args], opts);
  }

  ok(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return runOk("docker", ["-H", this.engine.host, ...args], opts);
  }

  /** Registers an image for removal at the end. */
  ownImage(ref: string): void {
    this.cleanup.add(`remove image ${ref}`, async () => {
      await this.run(["image", "rm", "-f", ref], { timeout: 120 });
    });
  }

  /** `docker create …`: the container is removed at the end (or earlier through the returned function). */
  async create(args: string[]): Promise<{ id: string; remove: () => Promise<void> }> {
    const r = await this.ok(["create", ...args], { timeout: 120 });
    const id = r.stdout.trim();
    const remove = this.cleanup.add(`remove container ${id.slice(0, 12)}`, async () => {
      await this.run(["rm", "-f", id], { timeout: 120 });
    });
    return { id, remove };
  }

  async state(id: string): Promise<{ running: boolean; pid: number; exitCode: number }> {
    const r = await this.ok(["inspect", "-f", "{{.State.Running}} {{.State.Pid}} {{.State.ExitCode}}", id], {
      timeout: 30,
    });
    const [running, pid, code] = r.stdout.trim().split(" ");
    return { running: running === "true", pid: Number(pid), exitCode: Number(code) };
  }

  async logs(id: string): Promise<string> {
    const r = await this.run(["logs", "--tail", "30", id], { timeout: 30 });
    return (r.stdout + r.stderr).trim();
  }

  async versions(): Promise<string> {
    const r = await this.ok(["version", "--format", "{{.Server.Version}}"], { timeout: 30 });
    return r.stdout.trim();
  }
}
