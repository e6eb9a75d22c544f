/**
 * A stage's code version: the source files its entry module reaches through relative imports
 * (static and dynamic; `import type` and `export type` left out, as they change no behaviour),
 * each with its sha256, and the version of every package those files import (from
 * node_modules/NAME/package.json), and modules named by a literal path (a worker pool's file,
 * which no import reaches). A JSON import of package.json counts only its version. The
 * hash over all of them is the code part of the stage's key, so a change in stages/coverage/
 * makes the coverage stages stale and nothing else.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { REPO } from "../host/repo-root.ts";
import { sha256 } from "./hash.ts";

/** The repository root (pipeline/host/repo-root.ts). */
export const ROOT = REPO;

// `import x from "m"`, `import { a, type B } from "m"`, `import "m"`, `export * from "m"`; not `import type`
const STATIC = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[^"'`;]*?\bfrom\s*)?["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
// a module named by a literal path rather than imported: a worker pool's file (`new URL("./worker.ts",
// import.meta.url)`, or a ternary picking worker.ts over the bundle's worker.mjs)
const NAMED = /[=?:(,]\s*["'](\.\.?\/[^"'\s]+\.[cm]?ts)["']/g;

function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(STATIC)) {
    if (m[2] === undefined) out.push(m[3]!);
  }
  for (const m of text.matchAll(DYNAMIC)) out.push(m[1]!);
  return out;
}

function namedModules(text: string): string[] {
  return [...text.matchAll(NAMED)].map((m) => m[1]!);
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageName = (spec: string): string =>
  spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;

function packageVersion(name: string): string {
  const file = join(ROOT, "node_modules", name, "package.json");
  if (!existsSync(file)) return "missing";
  return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "unknown";
}

const memo = new Map<string, Record<string, string>>();

/**
 * The code files (relative to the repository, with their sha256) and packages (`npm:NAME`, with
 * their version) that `entry` reaches.
 */
export function codeFiles(entry: string): Record<string, string> {
  const start = resolve(entry);
  const cached = memo.get(start);
  if (cached) return cached;
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const rel = relative(ROOT, file);
    if (file.endsWith("package.json")) {
      out[rel] = sha256((JSON.parse(text) as { version?: string }).version ?? "");
      continue;
    }
    out[rel] = sha256(text);
    if (!/\.[cm]?[jt]s$/.test(file)) continue;
    for (const spec of namedModules(text)) {
      const target = resolve(dirname(file), spec);
      if (existsSync(target)) todo.push(target);
    }
    for (const spec of specifiers(text)) {
      if (spec.startsWith("node:")) continue;
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        if (existsSync(target)) todo.push(target);
        else throw new Error(`${rel}: import ${spec} not found (code version of ${relative(ROOT, start)})`);
      } else {
        const name = packageName(spec);
        out[`npm:${name}`] = packageVersion(name);
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  memo.set(start, sorted);
  return sorted;
}

/** The hash over the code files and package versions. */
export const codeHash = (files: Record<string, string>): string =>
  sha256(
    Object.entries(files)
      .map(([k, v]) => `${k}\0${v}\n`)
      .join(""),
  );
