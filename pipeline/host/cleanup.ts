/**
 * Everything a host run creates (dockerd, containers, images, bundles, temp folders) registers
 * how to undo it here. `withCleanup` undoes it all, newest first, when the work ends — normally,
 * by an error, or by SIGINT/SIGTERM (then the process exits 130/143 once cleanup is done).
 */
import { cleanupPhase, interrupt } from "./proc.ts";

type Undo = { what: string; fn: () => Promise<void> | void };

export class Cleanup {
  private stack: Undo[] = [];
  private done = false;
  private running: Promise<void> | null = null;

  /** Registers an undo; returns a function that runs it early (and removes it from the stack). */
  add(what: string, fn: () => Promise<void> | void): () => Promise<void> {
    const u: Undo = { what, fn };
    this.stack.push(u);
    return async () => {
      const i = this.stack.indexOf(u);
      if (i < 0) return;
      this.stack.splice(i, 1);
      await fn();
    };
  }

  /** Runs every undo, newest first; errors are reported, not thrown, so the rest still runs. */
  async runAll(log: (s: string) => void): Promise<void> {
    if (this.done) return this.running ?? undefined;
    this.done = true;
    cleanupPhase(true);
    this.running = (async () => {
      while (this.stack.length > 0) {
        const u = this.stack.pop()!;
        try {
          await u.fn();
        } catch (e) {
          log(`cleanup: ${u.what} failed: ${(e as Error).message}`);
        }
      }
    })();
    try {
      await this.running;
    } finally {
      cleanupPhase(false);
    }
  }
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export async function withCleanup<T>(log: (s: string) => void, work: (c: Cleanup) => Promise<T>): Promise<T> {
  const c = new Cleanup();
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const [sig, code] of Object.entries(SIGNALS) as [NodeJS.Signals, number][]) {
    const h = () => {
      interrupt(sig);
      log(`${sig}: cleaning up`);
      void c.runAll(log).finally(() => process.exit(code));
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  try {
    return await work(c);
  } finally {
    await c.runAll(log);
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}
