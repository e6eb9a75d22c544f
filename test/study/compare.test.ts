/**
 * The study's comparison with the paper: the tables computed from results (change, saturation,
 * runs until flat, false alarms named with their denied syscalls, overhead intervals, the
 * micro-benchmark's cache mark), and the committed README: its tables are recomputed from the
 * committed results (datasets/results/) and must be what the README holds.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ImageCoverage } from "../../schemas/coverage.ts";
import type { ValidationReport } from "../../schemas/validation-report.ts";
import {
  change,
  compareStudy,
  renderComparison,
  runsUntilFlat,
  saturationSeconds,
} from "../../stages/study/compare.ts";
import { PAPER_SUBJECTS } from "../../stages/study/paper.ts";
import type { StudyResults } from "../../stages/study/results.ts";
import { readmeBlocks, RESULTS_README, STUDY_READMES } from "../../pipeline/study/readme.ts";

const level = (observed: number, expected: number[], time: Record<string, number[]>) => ({
  observed,
  curve: expected.map((e, i) => ({ runs: i + 1, mean: e, sd: 0, min: e, max: e, expected: e })),
  time: Object.fromEntries(
    Object.entries(time).map(([r, secs]) => [r, secs.map((s, i) => ({ seconds: s, distinct: i + 1 }))]),
  ),
});

const coverage = {
  runs: 3,
  levels: {
    type: level(10, [8, 9.6, 10], { a: [0, 3, 7.5], b: [0, 12] }),
    arg: level(20, [12, 17, 19.4], {}),
  },
} as unknown as ImageCoverage;

const outcome = {
  status: 0,
  signal: null,
  timedOut: false,
  seconds: 1,
  stdoutTail: "",
  stderrTail: "",
  reason: null,
};
const report = {
  profiles: [
    {
      label: "safe",
      enforce: {
        started: true,
        startError: null,
        regressions: 1,
        rows: [
          { name: "t1", kind: "test", regression: false, unconfined: outcome, enforced: outcome },
          { name: "uc-ok", kind: "use_case", regression: false, unconfined: outcome, enforced: outcome },
          { name: "uc-bad", kind: "use_case", regression: true, unconfined: outcome, enforced: outcome },
        ],
      },
      complain: { summary: [{ syscall: "utimensat", count: 2, attributedTo: ["uc-bad"] }] },
      probes: null,
      heldOut: null,
    },
  ],
  overhead: {
    command: "ab",
    unit: "requests/s",
    rounds: 3,
    cpuSource: null,
    rows: [
      { config: "unconfined", median: 1000, ratio: 1, ratioPaired: 1, ratioLo: 1, ratioHi: 1 },
      { config: "safe", median: 970, ratio: 0.97, ratioPaired: 0.975, ratioLo: 0.95, ratioHi: 0.99 },
    ],
    micro: [
      {
        config: "unconfined",
        call: "fcntl",
        measure: "cpu",
        median: 150,
        ratio: 1,
        ratioLo: 1,
        ratioHi: 1,
        argRules: null,
        errno: 0,
      },
      {
        config: "learned",
        call: "fcntl",
        measure: "cpu",
        median: 180,
        ratio: 1.2,
        ratioLo: 1.1,
        ratioHi: 1.3,
        argRules: true,
        errno: 0,
      },
    ],
  },
} as unknown as ValidationReport;

const study: StudyResults = {
  name: "t",
  scope: "test",
  entries: [
    {
      name: "nginx",
      characterize: null,
      coverage,
      profiles: {},
      validation: [report],
      runs: [
        { run: "run-01", firstNs: 0, lastNs: 2e9 },
        { run: "run-02", firstNs: 5e9, lastNs: 8.5e9 },
      ],
    },
  ],
};

describe("comparison", () => {
  it("formats changes with a sign and finds saturation and flattening", () => {
    expect(change(0.97)).toBe("−3.0 %");
    expect(change(1.0214)).toBe("+2.1 %");
    expect(change(1)).toBe("±0.0 %");
    expect(change(null)).toBe("—");
    expect(saturationSeconds(coverage, "type")).toBe(12);
    expect(saturationSeconds(coverage, "arg")).toBeNull();
    expect(runsUntilFlat(coverage, "type")).toBe(2); // 9.6 ≥ 10 − 0.5
    expect(runsUntilFlat(coverage, "arg")).toBe(3);
  });

  it("puts the paper's numbers beside ours and names each false alarm's denied syscall", () => {
    const [rules, , alarms, overhead, micro] = compareStudy(study);
    const nginx = PAPER_SUBJECTS.find((p) => p.entry === "nginx")!;
    expect(rules!.rows[0]).toEqual([
      "nginx",
      "Nginx 1.11.1",
      `${nginx.types} / —`,
      `${nginx.typeArgs} / —`,
      "180 / 5.5 (2 runs)",
      "< 60 / 12.0 · —",
      "2 · 3 of 3",
    ]);
    // MongoDB: the paper's row alone
    expect(rules!.rows.some((r) => r[1] === "MongoDB 3.2.8" && r[0] === "—")).toBe(true);
    expect(alarms!.rows[0]).toEqual(["nginx", "2", "—", "1/2: uc-bad (utimensat)", "—", "0"]);
    expect(overhead!.rows[0]![5]).toBe("−2.5 % [−5.0, −1.0]");
    expect(overhead!.rows[0]![6]).toBe("—");
    expect(micro!.rows[0]).toEqual([
      "nginx",
      "fcntl",
      "150 ns (cpu)",
      "—",
      "—",
      "—",
      "+20.0 % [+10.0, +30.0] †",
    ]);
  });

  it("renders the same bytes for the same results", () => {
    expect(renderComparison(study)).toBe(renderComparison(structuredClone(study)));
    expect(renderComparison(study)).toContain("| nginx | 2 | — | 1/2: uc-bad (utimensat) | — | 0 |");
  });
});

describe("the READMEs' comparison blocks (README.md, datasets/results/README.md)", () => {
  it("holds the tables the committed results give", async () => {
    expect(existsSync(RESULTS_README)).toBe(true);
    for (const readme of STUDY_READMES) {
      const blocks = await readmeBlocks(readme);
      expect(blocks.length, `${readme}: comparison blocks`).toBeGreaterThan(0);
      for (const b of blocks)
        expect(b.current, `${readme}: block ${b.name} (run npx tsx pipeline/study/readme.ts)`).toBe(
          b.expected,
        );
    }
  }, 120_000);
});
