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
