/**
 * `splitArgs` (split-args.ts) on bytes, one argument at a time: the top-level arguments of bytes
 * [start, end) of a piece, with the same rules (strings, comments, `<…>` decorations, nesting)
 * and the same offsets.
 */

/** Character classes for the scanner: 0 plain, then the characters that matter. */
const CLASS = new Uint8Array(256);
CLASS[34] = 1; // "
CLASS[47] = 2; // /
CLASS[60] = 3; // <
CLASS[40] = CLASS[91] = CLASS[123] = 4; // ( [ {
CLASS[41] = CLASS[93] = CLASS[125] = 5; // ) ] }
CLASS[44] = 6; // ,

/** What argEnd found in one argument: its first top-level `<` and `/*`, or -1. */
export interface ArgMarks {
  deco: number;
  /** where that decoration closes (skipDecorationBytes to the end of all arguments). */
  decoClose: number;
  comment: number;
}

/**
 * The end of the top-level argument starting at `i`: the offset of its `,`, or `end`. The
 * arguments argEnd gives one after the other (from `start`, then after each `,`), trimmed of
 * spaces, are those splitArgs gives for [start, end), with the same marks.
 */
export function argEnd(buf: Uint8Array, i: number, end: number, marks: ArgMarks): number {
  let depth = 0;
  marks.deco = -1;
  marks.decoClose = -1;
  marks.comment = -1;
  while (i < end) {
    const k = CLASS[buf[i]!]!;
    if (k === 0) {
      i++;
      continue;
    }
    switch (k) {
      case 1:
        i = skipStringBytes(buf, i, end);
        continue;
      case 2:
        if (i + 1 < end && buf[i + 1] === 42 /* * */) {
          if (depth === 0 && marks.comment < 0) marks.comment = i;
          const close = findCommentEnd(buf, i + 2, end);
          i = close < 0 ? end : close + 2;
          continue;
        }
        break;
      case 3: {
        const close = skipDecorationBytes(buf, i, end);
        if (depth === 0 && marks.deco < 0) {
          marks.deco = i;
          marks.decoClose = close;
        }
        i = close;
        continue;
      }
      case 4:
        depth++;
        break;
      case 5:
        depth--;
        break;
      case 6:
        if (depth === 0) return i;
        break;
    }
    i++;
  }
  return end;
}

/** Offset of `*\/` starting in [a, end - 1), or -1. */
function findCommentEnd(buf: Uint8Array, a: number, end: number): number {
  for (let i = a; i + 1 < end; i++) if (buf[i] === 42 && buf[i + 1] === 47) return i;
  return -1;
}

/** The offset after the closing quote of the string starting at `i` (and a `...` mark), ≤ end. */
export function skipStringBytes(buf: Uint8Array, i: number, end: number): number {
  let j = i + 1;
  for (;;) {
    let q = j;
    while (q < end && buf[q] !== 34) q++;
    if (q >= end) return end;
    let bs = 0;
    for (let k = q - 1; k > i && buf[k] === 92 /* \ */; k--) bs++;
    j = q + 1;
    if (bs % 2 === 0) break;
  }
  // `...` after the string: the string path looks past `end` too (it has the whole line)
  if (buf[j] === 46 && buf[j + 1] === 46 && buf[j + 2] === 46) j += 3;
  return j;
}

/** `(deleted)` (strace 6, after a decoration's `>`) starts at `at` and ends by `end`. */
export function deletedMarkAt(buf: Uint8Array, at: number, end: number): boolean {
  if (at + 9 > end || buf[at] !== 40 /* ( */) return false;
  for (let k = 0; k < 9; k++) if (buf[at + k] !== "(deleted)".charCodeAt(k)) return false;
  return true;
}

function isSeparator(c: number | undefined, atEnd: boolean): boolean {
  return atEnd || c === 44 || c === 41 || c === 93 || c === 125 || c === 32;
}

/**
 * Skips a `<…>` decoration: it closes at a `>` followed by a separator, once every nested `<…>`
 * inside it is closed. Returns `end` when it never closes.
 */
export function skipDecorationBytes(buf: Uint8Array, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    if (buf[j] !== 62 /* > */) continue;
    // strace 6 marks a deleted file after the decoration: `3</tmp/#123>(deleted)`
    const after = deletedMarkAt(buf, j + 1, end) ? j + 10 : j + 1;
    if (!isSeparator(buf[after], after >= end)) continue;
    let opens = 0;
    let closes = 0;
    for (let k = i + 1; k < j; k++) if (buf[k] === 60) opens++;
    if (opens > 0) for (let k = i + 1; k < j; k++) if (buf[k] === 62) closes++;
    if (opens <= closes) return j + 1;
  }
  return end;
}
