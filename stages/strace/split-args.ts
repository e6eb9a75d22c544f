/**
 * Splits strace's argument text into top-level arguments. Commas, parentheses, `>` and `=` occur
 * inside strings, structs, arrays, comments and `-y` decorations, so this is a small scanner,
 * not a `split(",")`.
 */

/** Character classes for the scanner: 0 plain, then the characters that matter. */
const CLASS = new Uint8Array(256);
CLASS[34] = 1; // "
CLASS[47] = 2; // /
CLASS[60] = 3; // <
CLASS[40] = CLASS[91] = CLASS[123] = 4; // ( [ {
CLASS[41] = CLASS[93] = CLASS[125] = 5; // ) ] }
CLASS[44] = 6; // ,

/**
 * Start/end offsets of each top-level argument (trimmed), appended to `out` as pairs. When `marks`
 * is given, it receives per argument the offset of its first top-level `<` decoration and of its
 * first `/*` comment (-1 when absent), so that decoders need not scan the argument again.
 */
export function splitArgs(s: string, start: number, end: number, out: number[], marks?: number[]): void {
  out.length = 0;
  if (marks) marks.length = 0;
  let depth = 0;
  let argStart = start;
  let deco = -1;
  let comment = -1;
  let i = start;
  while (i < end) {
    const k = CLASS[s.charCodeAt(i) & 0xff]!;
    if (k === 0) {
      i++;
      continue;
    }
    switch (k) {
      case 1:
        i = skipString(s, i, end);
        continue;
      case 2:
        if (s.charCodeAt(i + 1) === 42 /* * */) {
          if (depth === 0 && comment < 0) comment = i;
          const close = s.indexOf("*/", i + 2);
          i = close < 0 || close >= end ? end : close + 2;
          continue;
        }
        break;
      case 3:
        if (depth === 0 && deco < 0) deco = i;
        i = skipDecoration(s, i, end);
        continue;
      case 4:
        depth++;
        break;
      case 5:
        depth--;
        break;
      case 6:
        if (depth === 0) {
          if (pushTrimmed(s, argStart, i, out) && marks) marks.push(deco, comment);
          argStart = i + 1;
          deco = -1;
          comment = -1;
        }
        break;
    }
    i++;
  }
  if (pushTrimmed(s, argStart, end, out) && marks) marks.push(deco, comment);
}

function pushTrimmed(s: string, a: number, b: number, out: number[]): boolean {
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  if (b > a || out.length > 0) {
    out.push(a, b);
    return true;
  }
  return false;
}

/** Returns the offset after the closing quote of the string starting at `i` (and a `...` mark). */
export function skipString(s: string, i: number, end: number): number {
  let j = i + 1;
  for (;;) {
    const q = s.indexOf('"', j);
    if (q < 0 || q >= end) return end;
    let bs = 0;
    for (let k = q - 1; k > i && s.charCodeAt(k) === 92 /* \ */; k--) bs++;
    if (bs % 2 === 0) {
      j = q + 1;
      break;
    }
    j = q + 1;
  }
  if (s.startsWith("...", j)) j += 3;
  return j;
}

/**
 * Skips a `<…>` decoration (or `<... resuming …>` text). A decoration may contain `>` (`->` in socket
 * peers) and nested `<…>` (`/dev/null<char 1:3>`): it closes at a `>` followed by a separator.
 */
/** What strace 6 prints right after a deleted file's `<path>` (older versions: ` (deleted)`). */
export const DELETED_MARK = "(deleted)";

export function skipDecoration(s: string, i: number, end: number): number {
  for (let j = s.indexOf(">", i + 1); j >= 0 && j < end; j = s.indexOf(">", j + 1)) {
    // strace 6 marks a deleted file after the decoration: `3</tmp/#123>(deleted)`
    const after = s.startsWith(DELETED_MARK, j + 1) ? j + 1 + DELETED_MARK.length : j + 1;
    if (!isSeparator(s.charCodeAt(after), after >= end)) continue;
    // a nested `<…>` (e.g. `/dev/null<char 1:3>`) must be closed before the outer one
    let opens = 0;
    let closes = 0;
    for (let k = s.indexOf("<", i + 1); k >= 0 && k < j; k = s.indexOf("<", k + 1)) opens++;
    if (opens > 0) for (let k = s.indexOf(">", i + 1); k >= 0 && k < j; k = s.indexOf(">", k + 1)) closes++;
    if (opens <= closes) return j + 1;
  }
  return end;
}

function isSeparator(c: number, atEnd: boolean): boolean {
  return atEnd || c === 44 || c === 41 || c === 93 || c === 125 || c === 32;
}
