/**
 * `tsx scripts/check-imports.ts` (part of `npm run check`): the import graph of the repository's
 * own modules, read with the TypeScript compiler's pre-processor (static, type-only and dynamic
 * imports and re-exports alike), must have
 * - no cycle;
 * - no import against the layer order schemas ← stages ← pipeline: schemas/ imports nothing from
 *   stages/ or pipeline/, stages/ nothing from pipeline/, and none of the three anything from
 *   test/, scripts/ or notebooks/;
 * - notebooks/ importing nothing from pipeline/ or stages/ (they read what the CLI prints);
 * - pipeline/commands/* imported only by pipeline/cli.ts (commands are adapters over the library).
 * test/ and scripts/ may import anything. Prints the counts; exit 1 on any violation.
 */
import ts from "typescript";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const FOLDERS = ["schemas", "stages", "pipeline", "notebooks", "scripts", "test"];
const SKIP = new Set(["node_modules", "dist", ".observablehq"]);
const SOURCE = /\.(ts|mts|js|mjs)$/;

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) sources(p, out);
    } else if (SOURCE.test(e.name)) out.push(p);
  }
  return out;
}

/** Every module's relative imports, as repository paths. */
export function importGraph(root = ROOT): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of FOLDERS.flatMap((f) => sources(join(root, f)))) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const deps = info.importedFiles
      .map((i) => i.fileName)
      .filter((s) => s.startsWith("."))
      .map((s) => relative(root, resolve(dirname(file), s)));
    graph.set(relative(root, file), [...new Set(deps)].sort());
  }
  return graph;
}

/** The strongly connected components with more than one module (or a module importing itself). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

const RANK: Readonly<Record<string, number>> = { schemas: 0, stages: 1, pipeline: 2 };
const top = (path: string): string => path.split("/")[0]!;

/** Why `from` may not import `to`, or null when it may. */
export function violation(from: string, to: string): string | null {
  const a = top(from);
  const b = top(to);
  if (a === "test" || a === "scripts") return null;
  if (a === "notebooks") {
    return b === "pipeline" || b === "stages" ? `notebooks import nothing from ${b}/` : null;
  }
  const ra = RANK[a];
  if (ra === undefined) return null;
  if (b === "test" || b === "scripts" || b === "notebooks") return `${a}/ imports nothing from ${b}/`;
  const rb = RANK[b];
  if (rb !== undefined && rb > ra) return `${a}/ is below ${b}/ (schemas ← stages ← pipeline)`;
  if (to.startsWith("pipeline/commands/") && from !== "pipeline/cli.ts" && dirname(from) !== dirname(to)) {
    return "commands are imported by pipeline/cli.ts only (call the library instead)";
  }
  return null;
}

export function checkImports(root = ROOT): { modules: number; imports: number; problems: string[] } {
  const graph = importGraph(root);
  const problems: string[] = [];
  for (const c of cycles(graph)) problems.push(`cycle of ${c.length}: ${c.join(" → ")}`);
  let imports = 0;
  for (const [from, deps] of graph) {
    for (const to of deps) {
      imports++;
      const why = violation(from, to);
      if (why) problems.push(`${from} imports ${to}: ${why}`);
    }
  }
  return { modules: graph.size, imports, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { modules, imports, problems } = checkImports();
  for (const p of problems) process.stderr.write(`check-imports: ${p}\n`);
  const nCycles = problems.filter((p) => p.startsWith("cycle")).length;
  process.stdout.write(
    `check-imports: ${modules} modules, ${imports} imports: ${nCycles} cycles, ${problems.length - nCycles} layer violations\n`,
  );
  process.exitCode = problems.length ? 1 : 0;
}
