/**
 * The options that name the queue, defined once for both ends of it (`sandmine enqueue` and
 * `sandmine worker`): the Redis server and the BullMQ queue's name.
 */
import type { StringOption } from "../command.ts";
import { DEFAULT_QUEUE_NAME } from "./connection.ts";

/** `--queue URL` and `--queue-name NAME`; `other` names the other end's option in the help text. */
export function queueOptions(other: string) {
  return {
    queue: {
      type: "string",
      placeholder: "URL",
      required: true,
      description: "the Redis server: redis://[USER:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS)",
    },
    "queue-name": {
      type: "string",
      placeholder: "NAME",
      default: DEFAULT_QUEUE_NAME,
      description: `the BullMQ queue (${other})`,
    },
  } as const satisfies Record<string, StringOption>;
}
