/**
 * A parameter as sysdig printed it, turned into the decoded form the row joiner takes: the number
 * in front of any decoration (`3(<f>/etc/passwd)`, `4097(O_RDONLY|O_CLOEXEC)`, `-2(ENOENT)`) read
 * in the parameter's print format (hex, octal, decimal), strings as printed, the socket family
 * from the address text; the printed text kept for args_raw.
 */
import type { ScapParamInfo } from "../../schemas/generated/scap-events.ts";
import type { DecodedParam } from "../scap/decoded-param.ts";
import { KIND } from "../scap/param-kinds.ts";

const NUMBER = /^(-?[0-9A-Fa-f]+)(?:\(.*\))?$/s;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

function parseInt64(digits: string, radix: number): number | bigint | null {
  const neg = digits.startsWith("-");
  const d = neg ? digits.slice(1) : digits;
  if (radix === 10 && !/^\d+$/.test(d)) return null;
  if (radix === 8 && !/^[0-7]+$/.test(d)) return null;
  // no 64-bit parameter holds more (22 octal digits at most): a longer number is damage, not a
  // value to wrap, and BigInt would take long over a huge one
  if (d.replace(/^0+/, "").length > 22) return null;
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : "";
  const v = BigInt(prefix + d) * (neg ? -1n : 1n);
  if (v < INT64_MIN || v > UINT64_MAX) return null;
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function family(text: string): number {
  if (text === "" || text === "NULL") return -1;
  if (/^\d+\.\d+\.\d+\.\d+:\d+/.test(text)) return 2;
  if (/^[0-9a-f:]*:\d+(->|$)/.test(text) && text.includes("::")) return 10;
  return /^[0-9a-f]+->[0-9a-f]+ /.test(text) || text.startsWith("/") ? 1 : -1;
}

/** The parameter `info` of kind `kind` printed as `text`. */
export function printedParam(info: ScapParamInfo, kind: number, text: string): DecodedParam {
  const base = { info, kind, text, int: null, str: null, family: -1 };
  if (kind === KIND.int || kind === KIND.flags) {
    const m = NUMBER.exec(text);
    if (!m || text === "NULL") return base;
    const radix =
      info.fmt === "HEX" && kind === KIND.int && !m[1]!.startsWith("-") ? 16 : info.fmt === "OCT" ? 8 : 10;
    return { ...base, int: parseInt64(m[1]!, radix) };
  }
  // a relative path is printed with its resolution appended: `.(/)`
  if (kind === KIND.string) return { ...base, str: text.replace(/\(\/[^()]*\)$/, "") };
  if (kind === KIND.sockaddr || kind === KIND.socktuple) return { ...base, family: family(text) };
  return base;
}
