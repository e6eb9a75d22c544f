/**
 * The stages of a study, in the order they run: per entry image and record (or captures), ingest,
 * characterize, coverage, synthesize and check per mode, validate per part; then report and
 * results. Each declares its upstream stages, its parameters (the parts of the study and the
 * experiment it reads), the files outside the cache it reads and the module its code starts from.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Experiment } from "../../schemas/experiment.ts";
import type { StudyMode, StudyPart } from "../../schemas/study.ts";
import { ROOT } from "./code-version.ts";
import type { HashMemo } from "./hash.ts";
import { hostFacts } from "./host-facts.ts";
import type { LoadedStudy, ResolvedEntry, StageDef } from "./types.ts";
import { captureFiles, capturesStage } from "./stages/captures.ts";
import { characterizeStage } from "./stages/characterize.ts";
import { checkFindings, checkStage } from "./stages/check.ts";
import { coverageStage } from "./stages/coverage.ts";
import { imageFiles, imageStage } from "./stages/image.ts";
import { ingestStage } from "./stages/ingest.ts";
import { recordStage } from "./stages/record.ts";
import { reportStage } from "./stages/report.ts";
import { resultsStage } from "./stages/results.ts";
import { profileName, synthesizeStage } from "./stages/synthesize.ts";
import { validateFindings, validateGroups, validateStage } from "./stages/validate.ts";

// from the repository root, not import.meta.url: the CLI runs from a bundle in out/build/
const code = (module: string): string => join(ROOT, "pipeline", "run", "stages", `${module}.ts`);

/** The experiment's fields each validate part reads (besides the image, through the image stage). */
const PART_FIELDS: Record<StudyPart, (keyof Experiment)[]> = {
  enforce: ["container", "tests", "use_cases"],
  complain: ["container", "tests", "use_cases"],
  probes: ["container", "probes"],
  overhead: ["container", "overhead"],
  heldout: ["container", "tests", "use_cases"],
};

const pick = (exp: Experiment, keys: readonly (keyof Experiment)[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((k) => [k, exp[k] ?? null]));

/** Files named in the `host:` shell lines of tests, use cases and the benchmark (scripts beside the experiment). */
function hostScripts(e: ResolvedEntry, keys: readonly (keyof Experiment)[]): string[] {
  const le = e.experiment!;
  const lines: string[] = [];
  for (const k of keys) {
    const v = le.exp[k];
    const items = Array.isArray(v) ? v : v && typeof v === "object" && "command" in v ? [v.command] : [];
    for (const t of items as { host?: string }[]) if (t.host) lines.push(t.host);
  }
  const out = new Set<string>();
  for (const token of lines.join(" ").split(/[\s"'();|&<>]+/)) {
    if (!/[/.]/.test(token) || token.startsWith("-") || token.includes("$")) continue;
    const p = resolve(le.base, token);
    if (p.startsWith(le.base) && existsSync(p) && statSync(p).isFile()) out.add(p);
  }
  return [...out].sort();
}

function entryStages(study: LoadedStudy, e: ResolvedEntry, memo: HashMemo): StageDef[] {
  const id = (s: string): string => `${e.name}/${s}`;
  const out: StageDef[] = [];
  let source: string;
  if (e.experiment) {
    const { exp, base } = e.experiment;
    out.push({
      id: id("image"),
      deps: [],
      params: { name: e.name, image: exp.image },
      files: () => imageFiles(exp.image, base),
      code: code("image"),
      run: imageStage(exp.image, base, memo),
    });
    const recordKeys: (keyof Experiment)[] = ["container", "tests"];
    out.push({
      id: id("record"),
      deps: [id("image")],
      // host: the kernel, engine and strace the traces come from (another host records again)
      params: { name: e.name, runs: e.runs ?? exp.runs ?? 1, ...pick(exp, recordKeys), host: hostFacts() },
      files: () => hostScripts(e, recordKeys),
      code: code("record"),
      run: recordStage(e, id("record")),
    });
    source = id("record");
  } else {
    out.push({
      id: id("captures"),
      deps: [],
      params: { name: e.name, captures: e.capturesGiven },
      files: () => captureFiles(e),
      code: code("captures"),
      run: capturesStage(e, study, memo),
    });
    source = id("captures");
  }
  const ingest = id("ingest");
  out.push({
    id: ingest,
    deps: [source],
    params: { arch: "x86_64" },
    files: () => [],
    code: code("ingest"),
    run: ingestStage(source),
  });
  out.push({
    id: id("characterize"),
    deps: [ingest],
    params: { image: e.name },
    files: () => [],
    code: code("characterize"),
    run: characterizeStage(e.name, ingest),
  });
  out.push({
    id: id("coverage"),
    deps: [ingest],
    params: { image: e.name, ...study.coverage },
    files: () => [],
    code: code("coverage"),
    run: coverageStage(e.name, ingest, study.coverage),
  });
  const synth = {} as Record<StudyMode, string>;
  for (const mode of e.modes) {
    synth[mode] = id(`synthesize-${mode}`);
    out.push({
      id: synth[mode],
      deps: [ingest],
      params: { image: e.name, mode, arches: ["x86_64"], withRuntime: true },
      files: () => [],
      code: code("synthesize"),
      run: synthesizeStage(e.name, mode, ingest),
    });
    out.push({
      id: id(`check-${mode}`),
      deps: [ingest, synth[mode]],
      params: { image: e.name, mode, limit: 100, perSyscall: 3 },
      files: () => [],
      code: code("check"),
      findings: checkFindings,
      run: checkStage(e.name, mode, ingest, synth[mode]),
    });
  }
  for (const g of validateGroups(e)) {
    const exp = e.experiment!.exp;
    const fields = [...new Set(g.parts.flatMap((p) => PART_FIELDS[p]))];
    out.push({
      id: g.id,
      deps: [id("image"), ingest, ...e.modes.map((m) => synth[m])],
      params: {
        name: e.name,
        ...(g.parts.length === 1 ? { part: g.parts[0] } : { parts: g.parts }),
        backend: e.backend,
        modes: e.modes,
        ...pick(exp, fields),
        // the kernel and runtime that enforced: another host validates again
        host: hostFacts(),
      },
      files: () => hostScripts(e, fields),
      code: code("validate"),
      findings: validateFindings(g.file),
      run: validateStage(e, g.parts, g.file, ingest),
    });
  }
  return out;
}

/** Every stage of the study, in the order they run (each after its deps). */
export function planStudy(study: LoadedStudy, memo: HashMemo): StageDef[] {
  const stages = study.entries.flatMap((e) => entryStages(study, e, memo));
  const reportEntries = study.entries.map((e) => ({
    name: e.name,
    ingest: `${e.name}/ingest`,
    reports: [...e.modes.map((m) => `${e.name}/synthesize-${m}`), ...validateGroups(e).map((g) => g.id)],
  }));
  if (study.report)
    stages.push({
      id: "report",
      deps: reportEntries.flatMap((e) => [e.ingest, ...e.reports]),
      params: { study: study.name, entries: reportEntries.map((e) => e.name) },
      files: () => [],
      code: code("report"),
      run: reportStage({ study: study.name, entries: reportEntries }),
    });
  const copies: { from: string; to: string; files?: string[] }[] = [];
  const runsTables: { ingest: string; to: string }[] = [];
  for (const e of study.entries) {
    const has = (s: string) => stages.some((x) => x.id === `${e.name}/${s}`);
    for (const s of ["image", "record"])
      if (has(s)) copies.push({ from: `${e.name}/${s}`, to: e.name, files: [`${s}.json`] });
    copies.push({ from: `${e.name}/characterize`, to: `${e.name}/characterize` });
    copies.push({ from: `${e.name}/coverage`, to: `${e.name}/coverage` });
    for (const m of e.modes) {
      copies.push({
        from: `${e.name}/synthesize-${m}`,
        to: `${e.name}/profiles`,
        files: [profileName(e.name, m), profileName(e.name, m).replace(/\.json$/, ".report.json")],
      });
      copies.push({ from: `${e.name}/check-${m}`, to: `${e.name}/check/${m}` });
    }
    for (const g of validateGroups(e)) copies.push({ from: g.id, to: `${e.name}/validate` });
    runsTables.push({ ingest: `${e.name}/ingest`, to: e.name });
  }
  if (study.report) copies.push({ from: "report", to: ".", files: ["report.html"] });
  const studyJson = {
    name: study.name,
    ...(study.entries.some((e) => e.experiment) ? { host: hostFacts() } : {}),
    ...(study.description === undefined ? {} : { description: study.description }),
    coverage: study.coverage,
    experiments: study.entries.map((e) => ({
      name: e.name,
      ...(e.experiment ? { experiment: e.experiment.exp } : { captures: e.capturesGiven }),
      modes: e.modes,
      validate: e.parts,
    })),
  };
  const ids = stages.map((s) => s.id);
  stages.push({
    id: "results",
    deps: ids,
    params: { study: studyJson },
    files: () => [],
    code: code("results"),
    run: resultsStage({ study: studyJson, stages: ids, copies, runsTables }),
  });
  return stages;
}
