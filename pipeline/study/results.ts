/**
 * Reads a study's results folder (the layout of `sandmine run`'s `results` stage,
 * docs/commands.md "run") into the plain data the comparison takes (stages/study/results.ts):
 * per entry folder `E/` its `characterize/characterize.json`, `coverage/coverage.json`,
 * `profiles/E.MODE.report.json`, every `validate/*.json` and the runs' first and last event
 * times from `runs.parquet`. The study's name and scope come from `study.json` when there is one
 * (`scope`, or the study's `description` in what `sandmine run` writes), else from the folder's name. Missing parts are null or empty, never an error: a
 * reduced study has what it ran.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { ImageCharacterization } from "../../schemas/characterize.ts";
import type { ImageCoverage } from "../../schemas/coverage.ts";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import type { EntryResults, RunSpan, StudyResults } from "../../stages/study/results.ts";
import { quoteString, withDb } from "../duckdb.ts";

const readJson = <T>(file: string): T | null => {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
};

const PARTS = ["characterize", "coverage", "profiles", "validate"];

async function runSpans(file: string): Promise<RunSpan[]> {
  if (!existsSync(file)) return [];
  const rows = await withDb(
    (db) =>
      db.query<{ run: string; first: bigint | null; last: bigint | null }>(
        `SELECT run, ts_first_ns AS first, ts_last_ns AS last FROM read_parquet(${quoteString(file)}) ORDER BY run`,
      ),
    1,
  );
  return rows
    .filter((r) => r.first !== null && r.last !== null)
    .map((r) => ({ run: r.run, firstNs: Number(r.first), lastNs: Number(r.last) }));
}

async function readEntry(dir: string): Promise<EntryResults> {
  const name = basename(dir);
  const profiles: Record<string, ProfileReport> = {};
  const pdir = join(dir, "profiles");
  if (existsSync(pdir))
    for (const f of readdirSync(pdir).sort()) {
      const m = /^(.+)\.(none|safe|learned)\.report\.json$/.exec(f);
      if (m && m[1] === name) profiles[m[2]!] = readJson<ProfileReport>(join(pdir, f))!;
    }
  const vdir = join(dir, "validate");
  const validation = existsSync(vdir)
    ? readdirSync(vdir)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => readJson<ValidationReport>(join(vdir, f))!)
    : [];
  return {
    name,
    characterize: readJson<ImageCharacterization>(join(dir, "characterize", "characterize.json")),
    coverage: readJson<ImageCoverage>(join(dir, "coverage", "coverage.json")),
    profiles,
    validation,
    runs: await runSpans(join(dir, "runs.parquet")),
  };
}

/** The study in `dir`; entries in the order `study.json` lists them, else by name. */
export async function readStudyResults(dir: string): Promise<StudyResults> {
  // a hand-assembled study.json has name/scope/experiments at its top; `sandmine run`'s results
  // stage writes {sandmine, study: {name, description, experiments}, stages}: its description is the scope
  interface Meta {
    name?: string;
    scope?: string;
    description?: string;
    experiments?: { name: string }[];
  }
  const file = readJson<Meta & { study?: Meta }>(join(dir, "study.json"));
  const meta: Meta | null = file?.study
    ? { ...file.study, ...(file.study.description ? { scope: file.study.description } : {}) }
    : file;
  const folders = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isDirectory())
    .filter((f) => PARTS.some((p) => existsSync(join(dir, f, p))))
    .sort();
  const order = meta?.experiments?.map((e) => e.name) ?? [];
  folders.sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib) || a.localeCompare(b);
  });
  const entries: EntryResults[] = [];
  for (const f of folders) entries.push(await readEntry(join(dir, f)));
  return { name: meta?.name ?? basename(dir), scope: meta?.scope ?? "complete", entries };
}
