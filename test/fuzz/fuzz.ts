/**
 * How the fuzz tests run. Each test has a fixed seed (FUZZ_SEED overrides it) and runs a fixed
 * number of cases (FUZZ_CASES=N sets the total per format; each test takes its share), so its
 * time is bounded by a counter, never by a clock. Cases reach fast-check in chunks of up to
 * CHUNK: one fast-check run parses a chunk into one shared column batch (a batch costs more to
 * make than a small case costs to parse), and fast-check shrinks a failing chunk to the case that
 * fails. A failure names the seed and path to replay and prints the shrunk input as a literal.
 */
import fc from "fast-check";

/** Cases per format when FUZZ_CASES is not set. */
export const DEFAULT_CASES_PER_FORMAT = 100_000;

/** Largest number of cases in one fast-check run. */
export const CHUNK = 64;

/** Mean chunk length fast-check generates for `fc.array(…, { maxLength: CHUNK, size: "max" })`. */
const MEAN_CHUNK = 30;

/** Total cases per format: FUZZ_CASES, or the default. */
export function casesPerFormat(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.FUZZ_CASES;
  if (v === undefined || v === "") return DEFAULT_CASES_PER_FORMAT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_CASES must be a positive integer, got ${v}`);
  return n;
}

/** The seed of a test: FUZZ_SEED when set (to explore), else the test's own. */
export function seedOf(own: number, env: NodeJS.ProcessEnv = process.env): number {
  const v = env.FUZZ_SEED;
  return v === undefined || v === "" ? own : Number(v) | 0;
}

/** What a fuzz test ran. */
export interface FuzzResult {
  cases: number;
  runs: number;
  seed: number;
}

/** One fuzz test: its name, seed, share of the format's cases, cases, and the check of a chunk. */
export interface FuzzSpec<T> {
  name: string;
  seed: number;
  cases: number;
  arb: fc.Arbitrary<T>;
  /** throws when a case of the chunk breaks a property. */
  check: (chunk: readonly T[]) => void;
  /** the input of a case as it should be pasted into a regression test. */
  show: (c: T) => string;
}

/**
 * Runs at least `spec.cases` cases (in rounds: chunks vary in length, a round's seed is the
 * test's plus the round) and throws a message with the seed, the path and the shrunk failing
 * input when a property fails.
 */
export function fuzz<T>(spec: FuzzSpec<T>): FuzzResult {
  const seed = seedOf(spec.seed);
  const chunks = fc.array(spec.arb, { minLength: 1, maxLength: CHUNK, size: "max" });
  let cases = 0;
  let runs = 0;
  for (let round = 0; cases < spec.cases; round++) {
    const roundSeed = (seed + round) | 0;
    let failing = false;
    const out = fc.check(
      fc.property(chunks, (chunk) => {
        if (!failing) cases += chunk.length;
        try {
          spec.check(chunk);
        } catch (e) {
          failing = true;
          throw e;
        }
      }),
      { seed: roundSeed, numRuns: Math.max(1, Math.ceil((spec.cases - cases) / MEAN_CHUNK)) },
    );
    runs += out.numRuns;
    if (out.failed) {
      const chunk = out.counterexample?.[0] ?? [];
      const inputs = chunk.map((c) => spec.show(c)).join("\n");
      const err = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
      throw new Error(
        `${spec.name}: a case failed after ${out.numRuns} run(s), ${out.numShrinks} shrink(s); ` +
          `replay: fc.check(…, { seed: ${roundSeed}, path: "${out.counterexamplePath}" })` +
          (round === 0 ? ` or FUZZ_SEED=${seed}` : "") +
          `\nshrunk input:\n${inputs}\n${err}`,
      );
    }
  }
  return { cases, runs, seed };
}

/** Splits `total` cases by shares (summing to 1), rounding each up. */
export function share(total: number, part: number): number {
  return Math.max(1, Math.ceil(total * part));
}
