/**
 * Colour for text a person reads: only when the stream is a terminal, never when NO_COLOR is set
 * (https://no-color.org: present and not empty) or TERM is dumb. Everything a program reads
 * (--json, files, pipes) stays plain.
 */

/** Whether text written to `stream` may carry ANSI colour codes. */
export function colorEnabled(stream: { isTTY?: boolean } = process.stdout): boolean {
  const no = process.env.NO_COLOR;
  if (no !== undefined && no !== "") return false;
  if (process.env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

/** Colour functions for `stream` (identity when colour is off); apply after padding. */
export function paint(stream: { isTTY?: boolean } = process.stdout): Paint {
  const on = colorEnabled(stream);
  const sgr =
    (code: string) =>
    (s: string): string =>
      on && s !== "" ? `\x1b[${code}m${s}\x1b[0m` : s;
  return { bold: sgr("1"), dim: sgr("2"), red: sgr("31"), green: sgr("32"), yellow: sgr("33") };
}

/** A lint's severity, coloured: errors red, warnings yellow. */
export function severity(p: Paint, s: string, text = s): string {
  return s === "error" ? p.red(text) : s === "warning" ? p.yellow(text) : text;
}
