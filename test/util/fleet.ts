/**
 * A seeded synthetic fleet on the real captures' distributions (test support for the fleet bench
 * and the fleet tests, not product): the bundled strace captures (datasets/captures, real -ff runs
 * of redis, nginx and memcached) resampled and perturbed into many small captures over many images.
 *
 * Each synthetic image has a family (one of the real images) and its own perturbation: a few of the
 * family's syscalls it never makes, and a few syscalls of the other families it sometimes makes.
 * Each of its captures is one real run of the family, task file by task file: the lines that decide
 * tasks and phases (execve, clone, seccomp, prctl, mount, … and strace's +++/--- lines) are all
 * kept, every other complete call line with a probability drawn per capture (calls cut into
 * unfinished/resumed halves are dropped as pairs), then the image's extra calls are copied in from
 * other families' runs (with the timestamp of the line before them). So each capture is a valid
 * strace -ff capture whose syscall mix and per-run variation come from the real ones, and the same
 * seed writes the same bytes.
 */
import { seededRandom } from "../../stages/coverage/rng.ts";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { REPO_ROOT } from "./datasets.ts";

/** A real run: its task files (name without .gz, lines). */
interface RealRun {
  family: string;
  run: string;
  files: { name: string; lines: string[] }[];
}

/** What a fleet is made of. */
export interface FleetSpec {
  images: number;
  capturesPerImage: number;
  seed: number;
  /** share of a run's non-structural call lines a capture keeps: drawn per capture in [min, max] */
  keep?: readonly [number, number];
}

/** A written fleet: the manifest (captures.yaml) and what it holds. */
export interface Fleet {
  dir: string;
  manifest: string;
  captures: { image: string; run: string; path: string; lines: number; family: string }[];
  lines: number;
  bytes: number;
}

/** Calls whose lines decide tasks, names and phases: never dropped. */
const STRUCTURAL = new Set([
  "execve",
  "execveat",
  "seccomp",
  "prctl",
  "clone",
  "clone3",
  "fork",
  "vfork",
  "exit",
  "exit_group",
  "mount",
  "umount2",
  "pivot_root",
  "chroot",
  "sethostname",
  "setdomainname",
  "keyctl",
  "setns",
  "unshare",
]);

const CALL = /^(\d\d:\d\d:\d\d\.\d+) ([a-z_0-9]+)\(/;
const TIMESTAMP = /^(\d\d:\d\d:\d\d\.\d+) /;
const RESUMED = /^\d\d:\d\d:\d\d\.\d+ <\.\.\. ([a-z_0-9]+) resumed>/;

/** mulberry32, the pipeline's own seeded generator. */
export const rng = seededRandom;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** The bundled real runs (datasets/captures.yaml's strace runs), decompressed. */
export function realRuns(root = join(REPO_ROOT, "datasets", "captures")): RealRun[] {
  const out: RealRun[] = [];
  for (const family of readdirSync(root).sort()) {
    const famDir = join(root, family);
    for (const run of readdirSync(famDir).sort()) {
      if (!run.startsWith("run-")) continue;
      const dir = join(famDir, run);
      const files = readdirSync(dir)
        .filter((f) => f.startsWith("trace."))
        .sort()
        .map((f) => ({
          name: f.replace(/\.gz$/, ""),
          lines: gunzipSync(readFileSync(join(dir, f)))
            .toString("latin1")
            .split("\n")
            .filter((l) => l.length > 0),
        }));
      out.push({ family, run, files });
    }
  }
  return out;
}

/** How a line is treated: always kept, dropped with its pair, or sampled; and its call name. */
function classify(line: string): { kind: "keep" | "drop" | "sample"; name: string | null } {
  const m = CALL.exec(line);
  const r = m ? null : RESUMED.exec(line);
  const name = m?.[2] ?? r?.[1] ?? null;
  if (name === null) return { kind: "keep", name }; // +++ exited, --- SIGCHLD, anything else
  if (STRUCTURAL.has(name)) return { kind: "keep", name };
  if (r || line.includes("<unfinished ...>")) return { kind: "drop", name };
  return { kind: "sample", name };
}

/** Complete, non-structural call lines of a family, by syscall (the donors of injected calls). */
function donorLines(runs: readonly RealRun[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const r of runs) {
    const byName = out.get(r.family) ?? new Map<string, string[]>();
    out.set(r.family, byName);
    for (const f of r.files)
      for (const l of f.lines) {
        const c = classify(l);
        if (c.kind !== "sample" || c.name === null) continue;
        const xs = byName.get(c.name) ?? [];
        if (xs.length < 50) xs.push(l);
        byName.set(c.name, xs);
      }
  }
  return out;
}

/** An image's perturbation of its family: syscalls it never makes, calls it sometimes adds. */
interface Perturbation {
  drop: Set<string>;
  extra: string[][];
}

function perturbation(
  r: () => number,
  family: string,
  donors: Map<string, Map<string, string[]>>,
): Perturbation {
  const own = [...donors.get(family)!.keys()].sort();
  const drop = new Set<string>();
  for (let k = 0; k < 3; k++) drop.add(pick(r, own));
  const others = [...donors.keys()].filter((f) => f !== family).sort();
  const extra: string[][] = [];
  for (let k = 0; k < 3; k++) {
    const fam = donors.get(pick(r, others))!;
    const names = [...fam.keys()].filter((n) => !donors.get(family)!.has(n)).sort();
    const name = names.length > 0 ? pick(r, names) : pick(r, [...fam.keys()].sort());
    extra.push(fam.get(name)!);
  }
  return { drop, extra };
}

/** One capture's task files from a real run, resampled and perturbed. */
function resample(r: () => number, run: RealRun, p: Perturbation, keep: number): Map<string, string[]> {
  const files = new Map<string, string[]>();
  let biggest = run.files[0]!.name;
  let most = -1;
  for (const f of run.files) {
    const out: string[] = [];
    f.lines.forEach((l, i) => {
      const c = classify(l);
      // each task file keeps its first line: a task is there even when all else is sampled away
      if (i === 0 || c.kind === "keep") out.push(l);
      else if (c.kind === "sample" && !p.drop.has(c.name!) && r() < keep) out.push(l);
    });
    files.set(f.name, out);
    if (out.length > most) {
      most = out.length;
      biggest = f.name;
    }
  }
  // the image's extra calls, in its busiest task, each with the timestamp of the line before it
  const lines = files.get(biggest)!;
  for (const donors of p.extra) {
    if (r() < 0.4) continue;
    const n = 1 + Math.floor(r() * 8);
    for (let k = 0; k < n && lines.length > 1; k++) {
      const at = 1 + Math.floor(r() * (lines.length - 1));
      const ts = TIMESTAMP.exec(lines[at - 1]!)?.[1];
      const donor = pick(r, donors);
      if (ts === undefined) continue;
      lines.splice(at, 0, donor.replace(/^\S+/, ts));
    }
  }
  return files;
}

/** Writes the fleet of `spec` under `dir`: DIR/IMAGE/RUN/trace.PID files and DIR/captures.yaml. */
export function writeFleet(dir: string, spec: FleetSpec, runs: readonly RealRun[] = realRuns()): Fleet {
  const r = rng(spec.seed);
  const [lo, hi] = spec.keep ?? [0.06, 0.16];
  const donors = donorLines(runs);
  const families = [...new Set(runs.map((x) => x.family))].sort();
  const captures: Fleet["captures"] = [];
  let bytes = 0;
  let total = 0;
  const manifest = ["# synthetic fleet (test/util/fleet.ts): seed " + spec.seed, "captures:"];
  for (let i = 0; i < spec.images; i++) {
    const family = families[i % families.length]!;
    const image = `${family}-${String(i + 1).padStart(3, "0")}`;
    const p = perturbation(r, family, donors);
    const mine = runs.filter((x) => x.family === family);
    for (let j = 0; j < spec.capturesPerImage; j++) {
      const run = `run-${String(j + 1).padStart(2, "0")}`;
      const base = pick(r, mine);
      const files = resample(r, base, p, lo + r() * (hi - lo));
      const capDir = join(dir, image, run);
      mkdirSync(capDir, { recursive: true });
      let lines = 0;
      for (const [name, ls] of files) {
        const text = ls.join("\n") + "\n";
        writeFileSync(join(capDir, name), text, "latin1");
        bytes += Buffer.byteLength(text, "latin1");
        lines += ls.length;
      }
      total += lines;
      const path = `${image}/${run}`;
      captures.push({ image, run, path, lines, family });
      manifest.push(
        `  - { path: ${path}, image: ${image}, run: ${run}, labels: { family: ${family}, from: ${base.run} } }`,
      );
    }
  }
  const file = join(dir, "captures.yaml");
  writeFileSync(file, manifest.join("\n") + "\n");
  return { dir, manifest: file, captures, lines: total, bytes };
}

/** The manifest of the first `images` images of a written fleet (a smaller fleet of the same draw). */
export function subManifest(fleet: Fleet, images: number, file: string): string {
  const keepImages = new Set([...new Set(fleet.captures.map((c) => c.image))].slice(0, images));
  const lines = readFileSync(fleet.manifest, "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("  - ") || keepImages.has(/image: ([^,]+),/.exec(l)![1]!));
  writeFileSync(file, lines.join("\n"));
  return file;
}
