/**
 * Text conversions. Lines are decoded as latin1 (one char per byte, so offsets are byte offsets);
 * strings shown to users are turned back into UTF-8 here.
 */

const HIGH = /[\x80-\xff]/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Re-reads a latin1-decoded string as the UTF-8 it was (lines are validated before parsing). */
export function fromLatin1(s: string): string {
  if (!HIGH.test(s)) return s;
  return Buffer.from(s, "latin1").toString("utf8");
}

/** true when the latin1-decoded string holds valid UTF-8 bytes. */
export function isValidUtf8Latin1(s: string): boolean {
  if (!HIGH.test(s)) return true;
  try {
    utf8.decode(Buffer.from(s, "latin1"));
    return true;
  } catch {
    return false;
  }
}

const SIMPLE: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, v: 11, f: 12, b: 8, a: 7, e: 27 };

/**
 * Undoes strace's C escapes (`\n`, `\"`, `\\`, `\177`, `\x41`) in a quoted string's content.
 * Returns the escaped text unchanged if the bytes are not valid UTF-8 (kept exact, never mangled).
 */
export function unescapeString(s: string): string {
  if (s.indexOf("\\") < 0) return fromLatin1(s);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 92 || i + 1 >= s.length) {
      bytes.push(c & 0xff);
      continue;
    }
    const d = s[i + 1]!;
    if (d >= "0" && d <= "7") {
      let j = i + 1;
      let v = 0;
      while (j < s.length && j < i + 4 && s[j]! >= "0" && s[j]! <= "7") v = v * 8 + (s.charCodeAt(j++) - 48);
      bytes.push(v & 0xff);
      i = j - 1;
    } else if (d === "x" && /^[0-9a-fA-F]{2}/.test(s.slice(i + 2, i + 4))) {
      bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      bytes.push(SIMPLE[d] ?? d.charCodeAt(0));
      i++;
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return fromLatin1(s);
  }
}
