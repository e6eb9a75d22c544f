/**
 * Reads the kernel log (/dev/kmsg, root) from a starting point on: `open()` drains what is
 * already there, `take()` returns the lines logged since. A ring-buffer overrun (EPIPE) between
 * reads is counted, so the caller can say that the log may be incomplete.
 */
import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { pidAlive as alive } from "../pid-alive.ts";

export class KernelLog {
  private fd: number;
  private buf = Buffer.alloc(16384);
  overruns = 0;

  private constructor(fd: number) {
    this.fd = fd;
  }

  static open(): KernelLog {
    const k = new KernelLog(openSync("/dev/kmsg", constants.O_RDONLY | constants.O_NONBLOCK));
    k.take();
    return k;
  }

  /** Messages logged since the last call (text after the `prio,seq,usec,flags;` header). */
  take(): string[] {
    const out: string[] = [];
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") break;
        if (code === "EPIPE") {
          this.overruns++;
          continue;
        }
        throw e;
      }
      if (n === 0) break;
      const rec = this.buf.toString("utf8", 0, n);
      const semi = rec.indexOf(";");
      out.push(rec.slice(semi + 1).split("\n")[0]!);
    }
    return out;
  }

  close(): void {
    closeSync(this.fd);
  }
}

const LOCK = "/var/tmp/sandmine-complain.lock";

/**
 * Complain runs of concurrent sandmine processes would read each other's audit records (they
 * carry no container id), so they take turns: a lock folder holding the owner's PID, taken over
 * when that process is gone.
 */
export async function withComplainLock<T>(work: () => Promise<T>, log: (s: string) => void): Promise<T> {
  let waited = false;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(`${LOCK}/pid`, `${process.pid}\n`);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(`${LOCK}/pid`, "utf8"));
      } catch {
        /* being written or removed */
      }
      if (Number.isInteger(owner) && !alive(owner)) rmSync(LOCK, { recursive: true, force: true });
      else {
        if (!waited) log(`waiting for another complain run (pid ${owner}) to finish`);
        waited = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
