/**
 * The comparison tables of datasets/results/README.md and of the top README.md, regenerated from
 * the committed results: each block between `<!-- BEGIN GENERATED: comparison NAME -->` and
 * `<!-- END GENERATED: comparison NAME -->` is the comparison (stages/study/compare.ts) of the
 * study folder NAME, a path relative to the README's folder. `npx tsx pipeline/study/readme.ts
 * [README] [--check]` rewrites the blocks of both (or the one named; with --check, exits 1 naming
 * the blocks that differ); test/study/compare.test.ts checks them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderComparison } from "../../stages/study/compare.ts";
import { REPO } from "../host/repo-root.ts";
import { readStudyResults } from "./results.ts";

/** From the repository root (found by its package.json), so that it holds in a bundle too. */
export const RESULTS_README = join(REPO, "datasets", "results", "README.md");
/** The READMEs that hold comparison blocks. */
export const STUDY_READMES = [join(REPO, "README.md"), RESULTS_README];

const BLOCK =
  /(<!-- BEGIN GENERATED: comparison ([A-Za-z0-9_./-]+) -->\n)([\s\S]*?)(<!-- END GENERATED: comparison \2 -->)/g;

export interface Block {
  name: string;
  current: string;
  expected: string;
}

/** Every generated block of the README with what it holds and what the results say. */
export async function readmeBlocks(readme: string): Promise<Block[]> {
  const text = readFileSync(readme, "utf8");
  const out: Block[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const name = m[2]!;
    const study = await readStudyResults(join(dirname(readme), name));
    out.push({ name, current: m[3]!, expected: `\n${renderComparison(study)}\n` });
  }
  return out;
}

/** Rewrites the README's blocks; returns the names of those that changed. */
export async function updateReadme(readme: string): Promise<string[]> {
  const blocks = await readmeBlocks(readme);
  let text = readFileSync(readme, "utf8");
  const changed: string[] = [];
  for (const b of blocks) {
    if (b.current === b.expected) continue;
    changed.push(b.name);
    text = text.replace(
      `<!-- BEGIN GENERATED: comparison ${b.name} -->\n${b.current}`,
      `<!-- BEGIN GENERATED: comparison ${b.name} -->\n${b.expected}`,
    );
  }
  if (changed.length > 0) writeFileSync(readme, text);
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const named = args.find((a) => !a.startsWith("--"));
  let failed = false;
  for (const readme of named ? [named] : STUDY_READMES) {
    if (args.includes("--check")) {
      const bad = (await readmeBlocks(readme)).filter((b) => b.current !== b.expected).map((b) => b.name);
      if (bad.length > 0) {
        failed = true;
        process.stderr.write(
          `${readme}: comparison out of date: ${bad.join(", ")} (run npx tsx pipeline/study/readme.ts)\n`,
        );
      }
    } else {
      const changed = await updateReadme(readme);
      process.stdout.write(
        `${readme}: ${changed.length > 0 ? `updated: ${changed.join(", ")}` : "up to date"}\n`,
      );
    }
  }
  if (failed) process.exit(1);
}
