/**
 * Where the dynamic linker (glibc's ld.so, ld.so(8)) looks for a DT_NEEDED name: a name with a
 * slash as it is; else DT_RPATH (only when there is no DT_RUNPATH), DT_RUNPATH, the ld.so.conf
 * directories (what ld.so.cache holds) and the default directories. `$ORIGIN` is the directory of
 * the object that needs it. LD_LIBRARY_PATH is the environment's, which an image does not record.
 */

/** glibc's trusted directories on x86_64 and aarch64 Debian (multiarch first). */
export function defaultDirs(machine: number): string[] {
  const triplet = machine === 183 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  return [`/lib/${triplet}`, `/usr/lib/${triplet}`, "/lib64", "/usr/lib64", "/lib", "/usr/lib"];
}

const expand = (list: string | null, origin: string): string[] =>
  (list ?? "")
    .split(":")
    .filter(Boolean)
    .map((d) => d.replace(/\$(ORIGIN|\{ORIGIN\})/g, origin));

/** Candidate paths for `needed`, in the order ld.so tries them. */
export function candidates(
  needed: string,
  from: { dir: string; rpath: string | null; runpath: string | null; machine: number },
  confDirs: readonly string[],
): string[] {
  if (needed.includes("/")) return [needed];
  const dirs = [
    ...(from.runpath === null ? expand(from.rpath, from.dir) : []),
    ...expand(from.runpath, from.dir),
    ...confDirs,
    ...defaultDirs(from.machine),
  ];
  return [...new Set(dirs)].map((d) => `${d.replace(/\/+$/, "")}/${needed}`);
}

/** One ld.so.conf file: its directories and `include` patterns, in order (comments dropped). */
export function parseLdConf(text: string): { dirs: string[]; includes: string[] } {
  const dirs: string[] = [];
  const includes: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const inc = /^include\s+(.+)$/.exec(line);
    if (inc) includes.push(...inc[1]!.split(/\s+/));
    else if (!line.startsWith("hwcap")) dirs.push(...line.split(/[\s:,]+/).filter(Boolean));
  }
  return { dirs, includes };
}
