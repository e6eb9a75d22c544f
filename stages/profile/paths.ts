/**
 * The observed path model: which files and directories each path argument touched. Reported
 * beside the profile and never enforced — seccomp sees only the pointer, and the memory it points
 * to can change between the check and the use (seccomp.md §3.5.8).
 */
import type { PathModel } from "../../schemas/profile-report.ts";
import type { PathRow } from "./facts.ts";

/** Directories shown per argument. */
const TOP_DIRS = 20;

/** The directory of a path, with numeric and long hex components generalized to `#`. */
export function pathDirectory(path: string): string {
  const cut = path.lastIndexOf("/");
  const dir = cut <= 0 ? (path.startsWith("/") ? "/" : ".") : path.slice(0, cut);
  return dir
    .split("/")
    .map((c) => (/^[0-9]+$/.test(c) || /^[0-9a-f]{32,}$/.test(c) ? "#" : c))
    .join("/");
}

export function pathModels(rows: readonly PathRow[]): PathModel[] {
  const by = new Map<
    string,
    { syscall: string; arg: string; calls: number; paths: Set<string>; dirs: Map<string, number> }
  >();
  for (const r of rows) {
    const key = `${r.syscall}\0${r.arg}`;
    const m = by.get(key) ?? { syscall: r.syscall, arg: r.arg, calls: 0, paths: new Set(), dirs: new Map() };
    m.calls += r.calls;
    m.paths.add(r.path);
    const d = pathDirectory(r.path);
    m.dirs.set(d, (m.dirs.get(d) ?? 0) + r.calls);
    by.set(key, m);
  }
  return [...by.values()]
    .sort((a, b) => (a.syscall < b.syscall ? -1 : a.syscall > b.syscall ? 1 : a.arg < b.arg ? -1 : 1))
    .map((m) => ({
      syscall: m.syscall,
      arg: m.arg,
      calls: m.calls,
      paths: m.paths.size,
      directories: [...m.dirs]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, TOP_DIRS)
        .map(([dir, calls]) => ({ dir, calls })),
    }));
}
