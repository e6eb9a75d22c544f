/**
 * Splits sysdig's `%evt.info` text into arguments, guided by the parameter names our reader
 * decoded, and normalises both sides the same way: numbers with a decoration keep the number
 * (`3(<f>/etc/passwd)` → `3`, `0(0s)` → `0`, `2987(sysdig)` → `2987`), text cut by sysdig with
 * `...` is compared as a prefix.
 */
import type { DecodedParam } from "../../stages/scap/decoded-param.ts";
export { splitInfo } from "../../stages/sysdig/split-info.ts";

const DECORATED_NUMBER = /^(-?[0-9A-F]+)\(.*\)$/s;
const FDLIST = /^(\d+:[a-zA-Z46][0-9a-f]+ ?)+$/;

/**
 * One side's value in comparable form: a number keeps only the number (the decoration is derived
 * from it: flag and errno names, fd paths, thread names); FDLIST entries drop sysdig's fd-type
 * character (`4:e1` eventfd, `4:64` IPv6 socket with flags 4) (it comes from sysdig's fd table, which a file reader does not rebuild).
 */
export function normalise(v: string): string {
  const m = DECORATED_NUMBER.exec(v);
  if (m) return m[1]!;
  if (FDLIST.test(v)) return v.replace(/:[a-zA-Z46](?=[0-9a-f])/g, ":");
  return v;
}

/** true when sysdig's printed value `exp` and our decoded parameter agree. */
export function sameValue(exp: string, p: DecodedParam): boolean {
  const e = normalise(exp);
  const m = normalise(p.text);
  if (e === m) return true;
  if (e.endsWith("...")) return m.startsWith(e.slice(0, -3));
  // a relative path is followed by sysdig's resolution against the cwd: `.(/)`
  if (e.startsWith(`${m}(`) && e.endsWith(")")) return true;
  return false;
}
