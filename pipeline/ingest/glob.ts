/**
 * Paths of a manifest entry with globs: `*` and `?` within a name, `[…]` a character class, `**`
 * any number of folders. Matches files and folders (an -ff capture is a folder), sorted; names
 * starting with a dot only when the pattern's name does.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, sep } from "node:path";

/** Whether `path` holds a glob character. */
export const hasGlob = (path: string): boolean => /[*?[]/.test(path);

function nameRegex(segment: string): RegExp {
  let re = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

const entries = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** The paths under `base` matching `pattern` (relative to base, or absolute), sorted. */
export function expandGlob(base: string, pattern: string): string[] {
  const absolute = isAbsolute(pattern);
  const segments = pattern.split(/[\\/]+/).filter((s, i) => s !== "" || (absolute && i === 0));
  const out = new Set<string>();
  const walk = (dir: string, k: number): void => {
    if (k === segments.length) {
      if (existsSync(dir)) out.add(dir);
      return;
    }
    const seg = segments[k]!;
    if (seg === "**") {
      walk(dir, k + 1);
      for (const e of entries(dir)) if (!e.startsWith(".") && isDir(join(dir, e))) walk(join(dir, e), k);
      return;
    }
    if (!hasGlob(seg)) return walk(join(dir, seg), k + 1);
    const re = nameRegex(seg);
    for (const e of entries(dir)) {
      if (e.startsWith(".") && !seg.startsWith(".")) continue;
      if (re.test(e)) walk(join(dir, e), k + 1);
    }
  };
  walk(absolute ? sep : base, absolute ? 1 : 0);
  return [...out].sort();
}
