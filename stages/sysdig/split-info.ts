/**
 * Splits sysdig's `%evt.info` (`name=value name=value …`, values may hold spaces and `=`) into
 * arguments, guided by the parameter names the event type has, in order: a name is only looked for
 * after the previous one, so `=` inside a value cannot start an argument unless it reads ` name=`.
 */

/** name → printed value, for the names of `names` found in order. */
export function splitInfo(info: string, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  const found: [string, number][] = [];
  for (const n of names) {
    let at: number;
    if (pos === 0 && info.startsWith(`${n}=`)) at = 0;
    else {
      const k = info.indexOf(` ${n}=`, Math.max(0, pos - 1));
      if (k < 0) continue;
      at = k + 1;
    }
    found.push([n, at]);
    pos = at + n.length + 1;
  }
  found.forEach(([n, at], i) => {
    const end = i + 1 < found.length ? found[i + 1]![1] - 1 : info.length;
    out.set(n, info.slice(at + n.length + 1, end).replace(/ $/, ""));
  });
  return out;
}
