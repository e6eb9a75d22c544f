/**
 * The repository root: the nearest folder above this module holding sandmine's package.json, both
 * from the sources and from the CLI's bundle (out/build/v-…/, where `../..` is out/, not the root).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let d = here; ; d = dirname(d)) {
    const pkg = join(d, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "sandmine")
      return d;
    if (dirname(d) === d) throw new Error(`no sandmine package.json above ${here}`);
  }
}

export const REPO = findRoot();
