/**
 * One running container of an experiment under one confinement (unconfined, the runtime's
 * default profile, or a profile file), optionally under the strace runtime, and the commands run
 * against it: `exec` tests through `docker exec`, `host` tests as shell lines on the host with
 * SANDMINE_CONTAINER and DOCKER_HOST set.
 */
import type { ContainerSpec, TestSpec } from "../../schemas/experiment.ts";
import type { TestOutcome } from "../../schemas/validation-report.ts";
import { unmet } from "../../stages/experiment/expect.ts";
import { uniqueName, type Docker } from "./docker.ts";
import { holdingPort } from "./port-lock.ts";
import { run } from "./proc.ts";
import { waitReady } from "./ready.ts";
import type { Confinement, Session, SessionOptions } from "./types.ts";

export type { Confinement, Session, SessionOptions } from "./types.ts";

export const confinementLabel = (c: Confinement): string => (c.kind === "profile" ? c.file : c.kind);

export function createArgs(
  spec: ContainerSpec,
  image: string,
  conf: Confinement,
  o: SessionOptions,
): string[] {
  const a = ["--name", uniqueName("sandmine"), "--network", spec.network ?? "none", "--label", "sandmine=1"];
  if (conf.kind === "unconfined") a.push("--security-opt", "seccomp=unconfined");
  if (conf.kind === "profile") a.push("--security-opt", `seccomp=${conf.file}`);
  if (o.runtime) a.push("--runtime", o.runtime);
  if (spec.user) a.push("--user", spec.user);
  for (const [k, v] of Object.entries(spec.env ?? {})) a.push("-e", `${k}=${v}`);
  for (const t of spec.tmpfs ?? []) a.push("--tmpfs", t);
  if (spec.read_only) a.push("--read-only");
  a.push("--stop-timeout", String(spec.stop_timeout ?? 10));
  if (o.entrypoint) a.push("--entrypoint", o.entrypoint);
  a.push(image);
  const cmd = o.command ?? (o.entrypoint ? [] : spec.command);
  if (cmd) a.push(...cmd);
  return a;
}

/** A container started and ready; its host port (network: host) held until it stops (port-lock.ts). */
export const startSession = (
  docker: Docker,
  spec: ContainerSpec,
  image: string,
  conf: Confinement,
  o: SessionOptions = {},
): Promise<Session> => holdingPort(spec, () => startContainer(docker, spec, image, conf, o));

async function startContainer(
  docker: Docker,
  spec: ContainerSpec,
  image: string,
  conf: Confinement,
  o: SessionOptions,
): Promise<Session> {
  const { id, remove } = await docker.create(createArgs(spec, image, conf, o));
  const started = Date.now();
  const stop = async () => {
    await docker.run(["stop", "-t", String(spec.stop_timeout ?? 10), id], { timeout: 120 });
    await remove();
  };
  const session: Session = {
    id,
    started,
    stop,
    run: (t) => {
      const timeout = t.timeout ?? 60;
      if (t.exec) return docker.run(["exec", id, ...t.exec], { timeout });
      return run("sh", ["-c", t.host!], {
        timeout,
        env: { ...docker.env(), SANDMINE_CONTAINER: id, SANDMINE_IMAGE: image },
      });
    },
  };
  const st = await docker.run(["start", ...(o.attach ? ["-a"] : []), id], { timeout: 600 });
  if (o.attach) return session;
  if (st.status !== 0) {
    const logs = await docker.logs(id);
    await stop();
    throw new Error(`container did not start: ${(st.stderr || logs).trim()}`);
  }
  try {
    await waitReady(session, spec, async () => {
      const state = await docker.state(id);
      return state.running ? null : `container exited (status ${state.exitCode})`;
    });
  } catch (e) {
    const logs = await docker.logs(id);
    await stop();
    throw new Error(`${(e as Error).message}${logs ? `; container log: ${logs.slice(-500)}` : ""}`);
  }
  return session;
}

/** Runs a test or use case and judges it. */
export async function runTest(s: Session, t: TestSpec, kind: "test" | "use_case"): Promise<TestOutcome> {
  const r = await s.run(t);
  const reason = unmet(t.expect, r, t.timeout ?? 60);
  return {
    name: t.name,
    kind,
    passed: reason === null,
    reason,
    status: r.status,
    signal: r.signal,
    timedOut: r.timedOut,
    seconds: r.seconds,
    stdoutTail: r.stdoutTail,
    stderrTail: r.stderrTail,
  };
}
