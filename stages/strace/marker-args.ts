/**
 * Kernel values of the few arguments the scan pass decides on (prctl's option and mode, seccomp's
 * operation, clone's flags), in every notation strace prints: names (`PR_SET_SECCOMP`), numbers
 * (`22`, `-X raw`'s `0x16`), `-X verbose`'s `0x16 /* PR_SET_SECCOMP *\/` and clone3's
 * `{flags=0x3d0f00, …}`. Decoding the value, then comparing numbers, is what makes the phase
 * boundary independent of the recording style.
 */
import type { ConstTableName } from "../../schemas/generated/consts.ts";
import { decodeScalar, type ValueOut } from "./decode-value.ts";
import { splitArgs } from "./split-args.ts";

const bounds: number[] = [];
const out: ValueOut = { ok: false, value: 0, big: null, unknown: null };

/** The text with every `/* … *\/` comment removed and trimmed. */
function withoutComments(t: string): string {
  if (t.indexOf("/*") < 0) return t.trim();
  return t.replace(/\s*\/\*.*?\*\//g, "").trim();
}

/** Decodes one scalar's text; undefined when it is not a scalar or has unknown parts. */
function decode(text: string, table: ConstTableName | undefined): number | undefined {
  const t = withoutComments(text);
  const lt = t.indexOf("<");
  decodeScalar(lt > 0 ? t.slice(0, lt) : t, table, out);
  if (!out.ok) return undefined;
  return out.big !== null ? Number(BigInt.asUintN(64, out.big) & 0xffffffffn) : out.value;
}

/** The value of top-level argument `k` of `args` (the text between the parentheses). */
export function scalarArg(args: string, k: number, table?: ConstTableName): number | undefined {
  splitArgs(args, 0, args.length, bounds);
  const a = bounds[2 * k];
  const b = bounds[2 * k + 1];
  if (a === undefined || b === undefined) return undefined;
  return decode(args.slice(a, b), table);
}

/**
 * The value of a `flags=` field: clone's named argument or clone3's struct member. Returns
 * undefined when there is none or it cannot be decoded (e.g. a cut line).
 */
export function flagsField(args: string): number | undefined {
  const m = /(?:^|[{,]\s*)flags=/.exec(args);
  if (!m) return undefined;
  let i = m.index + m[0].length;
  const start = i;
  // up to the next `,` `}` `)` outside a comment
  while (i < args.length) {
    const c = args.charCodeAt(i);
    if (c === 47 /* / */ && args.charCodeAt(i + 1) === 42 /* * */) {
      const close = args.indexOf("*/", i + 2);
      if (close < 0) return undefined;
      i = close + 2;
      continue;
    }
    if (c === 44 || c === 125 || c === 41) break;
    i++;
  }
  return decode(args.slice(start, i), "clone_flags");
}
