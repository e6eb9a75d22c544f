/**
 * Splits strace's argument text into top-level arguments. Commas, parentheses, `>` and `=` occur
 * inside strings, structs, arrays, comments and `-y` decorations, so this is a small scanner,
 * not a `split(",")`.
 */

/** Start/end offsets of each top-level argument (trimmed), appended to `out` as pairs. */
export function splitArgs(s: string, start: number, end: number, out: number[]): void {
  out.length = 0;
  let depth = 0;
  let argStart = start;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      i = skipString(s, i, end);
      continue;
    }
    if (c === 47 /* / */ && s.charCodeAt(i + 1) === 42 /* * */) {
      const close = s.indexOf("*/", i + 2);
      i = close < 0 || close >= end ? end : close + 2;
      continue;
    }
    if (c === 60 /* < */) {
      i = skipDecoration(s, i, end);
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth--;
    else if (c === 44 /* , */ && depth === 0) {
      pushTrimmed(s, argStart, i, out);
      argStart = i + 1;
    }
    i++;
  }
  pushTrimmed(s, argStart, end, out);
}

function pushTrimmed(s: string, a: number, b: number, out: number[]): void {
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  if (b > a || out.length > 0) out.push(a, b);
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
export function skipDecoration(s: string, i: number, end: number): number {
  let nest = 0;
  for (let j = i + 1; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c === 60) nest++;
    else if (c === 62 /* > */) {
      if (nest > 0) {
        nest--;
        continue;
      }
      if (isSeparator(s.charCodeAt(j + 1), j + 1 >= end)) return j + 1;
    }
  }
  return end;
}

function isSeparator(c: number, atEnd: boolean): boolean {
  return atEnd || c === 44 || c === 41 || c === 93 || c === 125 || c === 32;
}
