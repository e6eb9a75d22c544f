/**
 * Fuzzing the strace parser with real lines: windows of 1–8 consecutive lines of every capture we
 * have (strace-corpus.ts), truncated, bit-flipped, with strace syntax or random bytes inserted,
 * bytes deleted and slices repeated into huge fields; and program text (real lines of the traced
 * programs) spliced into call lines, inside a line or cutting it in two as a shared stderr does.
 * Parsed as the ingest worker parses a piece. Whatever the damage: no exception; every line
 * accounted for (lines read = the text's lines = event lines + rejects + skips, rows = events);
 * and the same bytes give the same rows, rejects and counts, parsed again and on the string path.
 * Every case also checks that each event carries a name of the syscall table (or `syscall_0x…`,
 * `syscall_unknown`): a damaged name is a reject, never an event.
 * Cases: 80,000 of the format's 100,000 (FUZZ_CASES), the other 20,000 in strace-interleave.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { casesPerFormat, fuzz, share } from "./fuzz.ts";
import { bytesLiteral, mutate, mutationsArb, type Mutation } from "./mutations.ts";
import { sharedStraceAvailability, straceCorpus, type StraceSource } from "./strace-corpus.ts";
import { checkStraceChunk, type StraceInput } from "./strace-parse.ts";

// 100,000 cases per format take 1–2 min on 2 idle cores and several times that on a loaded machine
vi.setConfig({ testTimeout: 900_000 });

const TOKENS = [
  '"',
  "\\",
  " <unfinished ...>",
  " = ",
  ")",
  "(",
  "<... ",
  " resumed>",
  "[pid 12] ",
  "12 ",
  "\n",
  "\0",
  "\xff",
  "\xc3",
  "\xe2\x82\xac",
  "--- ",
  " ---",
  "+++ ",
  " +++",
  "{",
  "}",
  ", ",
  "/* ",
  " */",
  "...",
  "<",
  ">",
  "? ",
  " ERESTARTSYS (To be restarted if SA_RESTART is set)",
  "0x",
  "-1 ",
  "[ 999] ",
  "???(",
  "strace: Process 12 attached",
  "[ Process PID=12 runs in 32 bit mode. ]",
  "syscall_0x",
  "18446744073709551616",
  " <0.000010>",
];

/** Which lines of which capture a case starts from. */
interface Pick {
  source: number;
  window: number;
  start: number;
  count: number;
}

const pickArb = (n: number): fc.Arbitrary<Pick> =>
  fc.record({
    source: fc.nat({ max: n - 1 }),
    window: fc.nat({ max: 3 }),
    start: fc.nat({ max: 47 }),
    count: fc.integer({ min: 1, max: 8 }),
  });

function linesOf(sources: readonly StraceSource[], p: Pick): { src: StraceSource; lines: string[] } {
  const src = sources[p.source % sources.length]!;
  const w = src.windows[p.window % src.windows.length]!;
  const s = p.start % w.length;
  return { src, lines: w.slice(s, s + p.count) };
}

interface MutationCase {
  pick: Pick;
  muts: Mutation[];
}

function mutated(sources: readonly StraceSource[], c: MutationCase): StraceInput {
  const { src, lines } = linesOf(sources, c.pick);
  const bytes = mutate(Buffer.from(lines.join("\n") + "\n", "latin1"), c.muts);
  return { bytes, fileTid: src.fileTid, arch: src.arch };
}

/** Program text spliced into line `line` of a pick at `at`: inside it (0), cutting it (1, 2). */
interface SpliceCase {
  pick: Pick;
  line: number;
  at: number;
  program: number;
  form: 0 | 1 | 2;
}

function spliced(sources: readonly StraceSource[], program: readonly string[], c: SpliceCase): StraceInput {
  const { src, lines } = linesOf(sources, c.pick);
  const i = c.line % lines.length;
  const l = lines[i]!;
  const k = c.at % (l.length + 1);
  const text = program[c.program % program.length]!;
  const forms = [l.slice(0, k) + text + l.slice(k), `${l.slice(0, k)}${text}\n${l.slice(k)}`];
  forms.push(`${l.slice(0, k)}\n${text}\n${l.slice(k)}`);
  lines[i] = forms[c.form]!;
  return { bytes: Buffer.from(lines.join("\n") + "\n", "latin1"), fileTid: src.fileTid, arch: src.arch };
}

function show(input: StraceInput, c: unknown): string {
  return `${bytesLiteral(input.bytes)} // fileTid ${input.fileTid}, ${input.arch}; ${JSON.stringify(c)}`;
}

describe("fuzz: strace lines", () => {
  const total = casesPerFormat();
  const { sources, program } = straceCorpus();
  const mutationCase = fc.record({ pick: pickArb(sources.length), muts: mutationsArb(TOKENS) });
  const spliceCase = fc.record({
    pick: pickArb(sources.length),
    line: fc.nat({ max: 7 }),
    at: fc.nat({ max: 1 << 16 }),
    program: fc.nat({ max: program.length - 1 }),
    form: fc.constantFrom(0 as const, 1 as const, 2 as const),
  });

  it.skipIf(sharedStraceAvailability.skipReason !== null)(
    "the corpus includes ../shared/datasets/strace",
    () => {
      expect(sources.filter((s) => s.name.includes("shared")).length).toBeGreaterThan(100);
    },
  );

  it("mutated real lines: no exception, every line accounted for, deterministic", () => {
    const r = fuzz({
      name: "strace line mutations",
      seed: 0x57ace,
      cases: share(total, 0.6),
      arb: mutationCase,
      check: (chunk) => void checkStraceChunk(chunk.map((c) => mutated(sources, c))),
      show: (c) => show(mutated(sources, c), c),
    });
    console.log(`fuzz strace line mutations: ${r.cases} cases in ${r.runs} runs (seed ${r.seed})`);
    expect(r.cases).toBeGreaterThan(0);
  });

  it("program text spliced into real lines: no exception, every line accounted for, deterministic", () => {
    const r = fuzz({
      name: "strace splices",
      seed: 0x5911c,
      cases: share(total, 0.2),
      arb: spliceCase,
      check: (chunk) => void checkStraceChunk(chunk.map((c) => spliced(sources, program, c))),
      show: (c) => show(spliced(sources, program, c), c),
    });
    console.log(`fuzz strace splices: ${r.cases} cases in ${r.runs} runs (seed ${r.seed})`);
    expect(r.cases).toBeGreaterThan(0);
  });
});
