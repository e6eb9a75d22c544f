/**
 * What the traced program wrote to its stdout or stderr lately, as strace printed it
 * (`write(2, "<23 server listening (auto-negot"..., 38`). When strace shares the program's stream,
 * the written text appears as lines of its own; a line that starts with the text of one of the
 * last writes is that echo (a counted `program-output` skip), never a guess.
 */
import { unescapeString } from "./unescape.ts";

const WRITE = /^\s*([12])(?:<[^>]*>)?, "((?:[^"\\]|\\.)*)"/;
const KEEP = 16;
/** shorter prefixes could match unrelated text */
const MIN_CHARS = 4;

export class RecentWrites {
  private readonly texts: string[] = [];

  /** Remembers the text of a `write(1|2, "…"` call whose arguments start at `argsStart`. */
  see(line: string, argsStart: number): void {
    const m = WRITE.exec(line.slice(argsStart, argsStart + 600));
    if (!m) return;
    // the first line of what was written (the echo is split at its newlines)
    const text = unescapeString(m[2]!).split("\n")[0]!;
    if (text.length < MIN_CHARS) return;
    this.texts.push(text);
    if (this.texts.length > KEEP) this.texts.shift();
  }

  /** `line` starts with (or is the start of) the text of a recent write. */
  isEcho(line: string): boolean {
    if (line.length < MIN_CHARS) return false;
    return this.texts.some((t) => line.startsWith(t) || t.startsWith(line));
  }
}
