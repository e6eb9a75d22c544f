/**
 * The library directories an image's /etc/ld.so.conf names (with its `include` globs, which
 * ldconfig expands in sorted order), read inside the root filesystem.
 */
import { readdir, readFile } from "node:fs/promises";
import { posix } from "node:path";
import { parseLdConf } from "../../stages/reach/ld-path.ts";
import { resolveIn } from "./rootfs.ts";

/** ld.so.conf's directories, as paths inside the root; [] without the file. */
export async function ldConfDirs(root: string, file = "/etc/ld.so.conf", depth = 0): Promise<string[]> {
  if (depth > 8) return [];
  const r = await resolveIn(root, file);
  if (!r) return [];
  const text = await readFile(r.host, "latin1").catch(() => "");
  const { dirs, includes } = parseLdConf(text);
  const out = [...dirs];
  for (const pattern of includes) {
    const abs = pattern.startsWith("/") ? pattern : posix.join(posix.dirname(file), pattern);
    const dir = posix.dirname(abs);
    const base = posix.basename(abs);
    const re = new RegExp(
      "^" +
        base
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".") +
        "$",
    );
    const d = await resolveIn(root, dir);
    if (!d) continue;
    const names = (await readdir(d.host).catch(() => [] as string[])).filter((n) => re.test(n)).sort();
    for (const n of names) out.push(...(await ldConfDirs(root, posix.join(dir, n), depth + 1)));
  }
  return out;
}
