/**
 * Recognises strace output by content (for `--format auto`).
 */
import { newLineInfo, parseLine } from "./line.ts";

const STRACE_KINDS = new Set(["call", "unfinished", "resumed", "signal", "exit", "attach", "personality"]);

/** true when one of the first 200 lines is a strace call, signal, exit or attach line. */
export function looksLikeStrace(text: string): boolean {
  const info = newLineInfo();
  let p = 0;
  for (let i = 0; i < 200 && p < text.length; i++) {
    let e = text.indexOf("\n", p);
    if (e < 0) e = text.length;
    const kind = parseLine(text.slice(p, Math.min(e, p + 65536)), info);
    if (STRACE_KINDS.has(kind)) return true;
    p = e + 1;
  }
  return false;
}
