/**
 * Container starts for the measuring parts (probes, overhead rounds): a server that crashes now
 * and then at start-up (MariaDB exited with SIGSEGV in 2 of about 40 starts on overlay2) must not
 * turn into a result — "0 of 18 probes blocked" when no probe ran, or a lost validation after
 * minutes of rounds. A failed start is tried again, each failure logged; after the last try the
 * error is thrown. Enforce does not use this: there a start that fails under a profile is the
 * finding.
 */
import type { Confinement, Session } from "../types.ts";
import type { Ctx } from "./context.ts";

export const START_TRIES = 3;

/** `c.start`, tried up to START_TRIES times; `what` names the part in the log. */
export async function startRetrying(
  c: Ctx,
  conf: Confinement,
  withProbes: boolean,
  what: string,
): Promise<Session> {
  for (let i = 1; ; i++) {
    try {
      return await c.start(conf, withProbes);
    } catch (e) {
      const msg = (e as Error).message.split("\n")[0]!;
      if (i >= START_TRIES)
        throw new Error(`${what}: the container did not start in ${START_TRIES} tries: ${msg}`);
      c.o.log(`  ${what}: the container did not start (${msg}); try ${i + 1} of ${START_TRIES}`);
    }
  }
}
