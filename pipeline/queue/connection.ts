/**
 * Where the queue lives: a Redis URL (`redis://[USER:PASSWORD@]HOST:PORT[/DB]`, `rediss://` for
 * TLS) read into the connection options BullMQ hands to ioredis, and the queue's name. A Redis
 * that cannot be reached is a usage error after a few seconds, not an endless wait.
 */
import type { ConnectionOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { messageOf, UsageError } from "../errors.ts";

/** The queue every command uses unless `--queue-name` says otherwise. */
export const DEFAULT_QUEUE_NAME = "sandmine-ingest";

/** How long a command waits for Redis to accept its connection at start. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The ioredis options of `url`; throws UsageError for anything but a redis:// or rediss:// URL. */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue ${url}: not a URL (give redis://HOST:PORT)`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new UsageError(`--queue ${url}: give a redis:// or rediss:// URL`);
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new UsageError(`--queue ${url}: the path is a database number`);
  return {
    host: u.hostname || "localhost",
    port: u.port ? Number(u.port) : 6379,
    db: db === "" ? 0 : Number(db),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    // the worker's blocking connection needs it (BullMQ); fine for the others too
    maxRetriesPerRequest: null,
  };
}

/** Checks a queue name: BullMQ uses `:` to build its Redis keys. */
export function checkQueueName(name: string): string {
  if (name === "" || name.includes(":"))
    throw new UsageError(`--queue-name ${name}: give a name without ':'`);
  return name;
}

/**
 * Checks that Redis at `url` answers PING, over one connection that does not retry (BullMQ's
 * connections retry for ever, which suits a worker whose Redis restarts, not a wrong URL): a
 * UsageError with the reason (refused, unknown host, authentication) otherwise.
 */
export async function reachable(url: string): Promise<void> {
  const redis = new Redis({
    ...(redisConnection(url) as RedisOptions),
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  let cause = "";
  redis.on("error", (e: Error) => (cause = e.message)); // the connect's own error is "Connection is closed."
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new UsageError(`--queue ${url}: Redis does not answer (${cause || messageOf(e)})`);
  } finally {
    redis.disconnect();
  }
}
