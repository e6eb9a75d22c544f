/**
 * Waiting for a started container to be ready (its port accepts, its readiness command succeeds),
 * the same for the Docker and runc backends.
 */
import { connect } from "node:net";
import type { ContainerSpec } from "../../schemas/experiment.ts";
import type { Session } from "./types.ts";

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host: "127.0.0.1", port }, () => {
      s.end();
      res(true);
    });
    s.on("error", () => res(false));
    s.setTimeout(1000, () => {
      s.destroy();
      res(false);
    });
  });
}

/**
 * Polls until `spec.ready` holds; `stopped` says why the container is no longer running, or null
 * while it runs.
 */
export async function waitReady(
  s: Session,
  spec: ContainerSpec,
  stopped: () => Promise<string | null>,
): Promise<void> {
  const ready = spec.ready ?? {};
  const deadline = Date.now() + (ready.timeout ?? 60) * 1000;
  for (;;) {
    const why = await stopped();
    if (why !== null) throw new Error(`${why} before it was ready`);
    let ok = true;
    if (ready.port !== undefined) ok = await portOpen(ready.port);
    if (ok && ready.exec) ok = (await s.run({ exec: ready.exec, timeout: 10 })).status === 0;
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`container not ready within ${ready.timeout ?? 60} s`);
    await sleep(200);
  }
}
