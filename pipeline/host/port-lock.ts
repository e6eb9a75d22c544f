/**
 * A host port held by one container at a time across processes: containers on the host network
 * listen on the experiment's fixed port (tests and use cases name it), so two runs on one host —
 * the CI reduced study beside a study, say — would have the second container fail to bind while
 * the first one's socket answers its ready probe. A session takes /var/tmp/sandmine-ports/PORT
 * (O_EXCL, holding its PID) before it creates the container and gives it back when it stops; a
 * lock whose PID is gone (a run killed with SIGKILL) is taken over. Sessions of one process do
 * not wait for each other (they run one after another).
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pidAlive as alive } from "../pid-alive.ts";

const DIR = process.env.SANDMINE_PORT_LOCKS ?? "/var/tmp/sandmine-ports";

const holder = (file: string): number | null => {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/** Waits (up to `timeoutS`) until `port` is this process's; returns the release. */
export async function lockPort(port: number, log: (s: string) => void, timeoutS = 3600): Promise<() => void> {
  mkdirSync(DIR, { recursive: true, mode: 0o1777 });
  const file = join(DIR, String(port));
  let held = true;
  const release = () => {
    if (held && holder(file) === process.pid) rmSync(file, { force: true });
    held = false;
  };
  const deadline = Date.now() + timeoutS * 1000;
  let said = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx", 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const pid = holder(file);
    if (pid === process.pid) return () => {};
    if (pid === null) {
      // a file just created and not yet written, or one left empty: a second to finish, then it goes
      await sleep(1000);
      if (holder(file) === null) rmSync(file, { force: true });
      continue;
    }
    if (!alive(pid)) {
      rmSync(file, { force: true }); // its run was killed (SIGKILL): nobody gives it back
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`host port ${port} held by process ${pid} for ${timeoutS} s (${file})`);
    if (!said) log(`host port ${port} is in use by another sandmine run (process ${pid}): waiting`);
    said = true;
    await sleep(2000);
  }
}

/** `start()`'s session with the spec's host port held from before it starts until it stops. */
export async function holdingPort<S extends { stop: () => Promise<void> }>(
  spec: { network?: "none" | "host"; ready?: { port?: number } },
  start: () => Promise<S>,
): Promise<S> {
  const port = spec.network === "host" ? spec.ready?.port : undefined;
  if (port === undefined) return start();
  const unlock = await lockPort(port, (m) => process.stderr.write(`sandmine: ${m}\n`));
  let s: S;
  try {
    s = await start();
  } catch (e) {
    unlock();
    throw e;
  }
  const stop = s.stop;
  s.stop = async () => {
    try {
      await stop();
    } finally {
      unlock();
    }
  };
  return s;
}
