/**
 * Random task interleavings of real strace lines: windows of 2–24 consecutive lines of the `-f -o`
 * captures (every line `PID …`), and of 2–3 `-ff` files of one run given `PID ` prefixes as
 * `strace -f -o` would have printed them, are re-interleaved at random with each task's order
 * kept, and parsed in file order (the merged files: one task after the other) and interleaved. Each task's rows must not change (every column but the line number), nor the counts of
 * lines, events, rejects (by reason and text) and skips; every line stays accounted for.
 * (`+++ superseded by execve` lines are left out: they move a call between tasks, so the order of
 * two tasks matters there.) Cases: 20,000 of the format's 100,000 (FUZZ_CASES).
 */
import path from "node:path";
import fc from "fast-check";
import type { RecordBatch } from "apache-arrow";
import { describe, expect, it, vi } from "vitest";
import { casesPerFormat, fuzz, share } from "./fuzz.ts";
import { straceCorpus, type StraceSource } from "./strace-corpus.ts";
import { parseStraceInputs, type StraceInput } from "./strace-parse.ts";

// 100,000 cases per format take 1–2 min on 2 idle cores and several times that on a loaded machine
vi.setConfig({ testTimeout: 900_000 });

/** The columns of a row that an interleaving must not change. */
const COLUMNS = [
  "pid",
  "syscall",
  "nr",
  "args_raw",
  "arg0",
  "arg1",
  "arg2",
  "arg3",
  "arg4",
  "arg5",
  "path",
  "path2",
  "fd_path",
  "ret",
  "ret_path",
  "errno",
  "errno_name",
  "ts_ns",
  "duration_ns",
  "unfinished",
  "resumed",
  "unknown_syms",
] as const;

/** Lines of several tasks: a `-f -o` window in file order, or `-ff` files' lines (prefixed). */
interface Tasks {
  name: string;
  arch: string;
  /** the window, in file order (null for merged `-ff` files: there is no file order). */
  lines: string[] | null;
  tasks: string[][];
}

const PID = /^(\d+) /;

/** The tasks of a window of `-f -o` lines (a line without a pid is a task of its own). */
function tasksOf(lines: readonly string[]): string[][] {
  const by = new Map<string, string[]>();
  lines.forEach((l, i) => {
    if (l.includes("+++ superseded by execve")) return;
    const key = PID.exec(l)?.[1] ?? `line ${i}`;
    let t = by.get(key);
    if (t === undefined) by.set(key, (t = []));
    t.push(l);
  });
  return [...by.values()];
}

/** Windows of several tasks: `-f -o` windows, and `-ff` files of one run merged with pid prefixes. */
function groups(sources: readonly StraceSource[]): Tasks[] {
  const out: Tasks[] = [];
  for (const s of sources)
    if (s.style === "prefixed")
      for (const w of s.windows) out.push({ name: s.name, arch: s.arch, lines: w, tasks: tasksOf(w) });
  const runs = new Map<string, StraceSource[]>();
  for (const s of sources) {
    if (s.style !== "ff") continue;
    const dir = path.dirname(s.name);
    runs.set(dir, [...(runs.get(dir) ?? []), s]);
  }
  for (const [dir, files] of runs) {
    for (let i = 0; i + 1 < files.length && i < 6; i += 2) {
      const three = files.slice(i, i + 3);
      const tasks = three.map((f) =>
        f.windows[0]!.filter((l) => !l.includes("+++ superseded")).map(
          (l) => `${String(f.fileTid).padEnd(5)} ${l}`,
        ),
      );
      const name = `${dir} (${three.map((f) => f.fileTid).join(", ")})`;
      out.push({ name, arch: three[0]!.arch, lines: null, tasks });
    }
  }
  return out.filter((g) => g.tasks.length >= 2 && g.tasks.every((t) => t.length > 0));
}

interface InterleaveCase {
  group: number;
  start: number;
  count: number;
  /** at each step, which of the tasks with lines left goes next (modulo their number). */
  choices: number[];
}

/** The case's lines in file order (for merged files: task after task) and interleaved. */
function orders(
  all: readonly Tasks[],
  c: InterleaveCase,
): { arch: string; original: string[]; shuffled: string[] } {
  const g = all[c.group % all.length]!;
  let original: string[];
  let tasks: string[][];
  if (g.lines !== null) {
    const s = c.start % g.lines.length;
    tasks = tasksOf(g.lines.slice(s, s + c.count));
    original = g.lines.slice(s, s + c.count).filter((l) => !l.includes("+++ superseded by execve"));
  } else {
    // the same share of each file's lines, from the same relative start
    tasks = g.tasks.map((t) =>
      t.slice(c.start % t.length, (c.start % t.length) + Math.ceil(c.count / g.tasks.length)),
    );
    original = tasks.flat();
  }
  const next = tasks.map(() => 0);
  let live = tasks.map((_, i) => i);
  const shuffled: string[] = [];
  for (let k = 0; live.length > 0; k++) {
    const t = live[(c.choices[k] ?? 0) % live.length]!;
    shuffled.push(tasks[t]![next[t]!]!);
    next[t]!++;
    if (next[t] === tasks[t]!.length) live = live.filter((x) => x !== t);
  }
  return { arch: g.arch, original, shuffled };
}

/** Each task's rows, as text of COLUMNS in row order. */
function rowsByTask(rb: RecordBatch, from: number, to: number): Map<number, string[]> {
  const cols = COLUMNS.map((c) => rb.getChild(c)!);
  const tid = rb.getChild("tid")!;
  const out = new Map<number, string[]>();
  for (let i = from; i < to; i++) {
    const t = tid.get(i) as number;
    const row = cols.map((c) => String(c.get(i) as unknown)).join("\t");
    out.set(t, [...(out.get(t) ?? []), row]);
  }
  return out;
}

/** The counts an interleaving must not change (rejects by reason and text, not line). */
function counts(json: string): string {
  const [lines, eventLines, events, unfinished, spliced, unnamed, rejects, skips] = JSON.parse(json) as [
    number,
    number,
    number,
    number,
    number,
    number,
    { reason: string; raw: string }[],
    Record<string, number>,
  ];
  const r = rejects.map((x) => `${x.reason}\t${x.raw}`).sort();
  const k = Object.entries(skips).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([lines, eventLines, events, unfinished, spliced, unnamed, r, k]);
}

function checkChunk(all: readonly Tasks[], chunk: readonly InterleaveCase[]): void {
  const inputs: StraceInput[] = [];
  for (const c of chunk) {
    const o = orders(all, c);
    for (const lines of [o.original, o.shuffled])
      inputs.push({ bytes: Buffer.from(lines.join("\n") + "\n", "latin1"), fileTid: -1, arch: o.arch });
  }
  const { rb, outcomes } = parseStraceInputs(inputs);
  for (let k = 0; k < outcomes.length; k += 2) {
    const a = outcomes[k]!;
    const b = outcomes[k + 1]!;
    if (counts(a.counts) !== counts(b.counts))
      throw new Error(`interleaving changed the counts: ${counts(a.counts)} vs ${counts(b.counts)}`);
    const x = rowsByTask(rb, a.from, a.to);
    const y = rowsByTask(rb, b.from, b.to);
    for (const [tid, rows] of x) {
      const other = y.get(tid) ?? [];
      const i = rows.findIndex((r, j) => r !== other[j]);
      if (i >= 0 || other.length !== rows.length)
        throw new Error(`interleaving changed task ${tid}'s row ${i}:\n  ${rows[i]}\n  ${other[i]}`);
    }
  }
}

describe("fuzz: strace task interleavings", () => {
  const total = casesPerFormat();

  it("each task's rows and the counts do not depend on how the tasks' lines interleave", () => {
    const all = groups(straceCorpus().sources);
    const arb = fc.record({
      group: fc.nat({ max: all.length - 1 }),
      start: fc.nat({ max: 47 }),
      count: fc.integer({ min: 2, max: 24 }),
      choices: fc.array(fc.nat({ max: 7 }), { maxLength: 24 }),
    });
    const r = fuzz({
      name: "strace interleavings",
      seed: 0x1e4e,
      cases: share(total, 0.2),
      arb,
      check: (chunk) => checkChunk(all, chunk),
      show: (c) => {
        const o = orders(all, c);
        return `original ${JSON.stringify(o.original.join("\n") + "\n")}\nshuffled ${JSON.stringify(o.shuffled.join("\n") + "\n")} // ${o.arch}; ${JSON.stringify(c)}`;
      },
    });
    console.log(`fuzz strace interleavings: ${r.cases} cases in ${r.runs} runs (seed ${r.seed})`);
    expect(all.length).toBeGreaterThan(20);
    expect(r.cases).toBeGreaterThan(0);
  });
});
