/**
 * Errors the CLI turns into an exit status and a one-line message (stack only with --debug).
 */

/** Bad usage or unreadable input: exit status 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The message of anything thrown (an Error's message, else the value as text). */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The stack of anything thrown, when it has one. */
export const stackOf = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));
