/**
 * How a stage's key names a file it reads: relative to the repository (so a fresh clone in another
 * folder gets the same keys), `$SANDMINE_CACHE/…` for the cached Debian trees, else its absolute
 * path (a host file such as /bin/busybox, the same on every machine of this kind).
 */
import { relative, sep } from "node:path";
import { CACHE } from "../host/images.ts";
import { ROOT } from "./code-version.ts";

const under = (dir: string, f: string): string | undefined => {
  const rel = relative(dir, f);
  return rel === "" || rel.startsWith("..") || rel.startsWith(sep) ? undefined : rel.split(sep).join("/");
};

export function fileLabel(f: string): string {
  const inCache = under(CACHE, f);
  if (inCache !== undefined) return `$SANDMINE_CACHE/${inCache}`;
  return under(ROOT, f) ?? f;
}
