/**
 * Terminal tables for characterize and coverage (text only; the commands print them).
 */
import { COVERAGE_SCOPE } from "../../stages/coverage/index.ts";
import type { ImageCharacterization } from "../../schemas/characterize.ts";
import { LEVELS, type ImageCoverage } from "../../schemas/coverage.ts";

/** Lays out rows under a header, right-aligning columns whose cells are numbers. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number"));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const f1 = (x: number): number => Math.round(x * 10) / 10;

/** The characterization of one image: header, syscall table, top-20 argument models. */
export function characterizeTable(c: ImageCharacterization): string {
  const r = c.rules;
  const head =
    `== image ${c.image}: ${c.runs} runs, ${c.events} events, ${c.syscalls.length} syscall types ` +
    `(${r.type_rules} outside the runtime phase) ==\n` +
    `paper's rules: ${r.type_rules} type rules, ${r.type_arg_rules} type+argument rules ` +
    `(argument models for the top ${r.top.length} types = ${pct(r.top_share)} of invocations)`;
  const types = table(
    ["syscall", "calls", "share", "runs", "first", "last", "phases"],
    c.syscalls.map((s) => [
      s.syscall,
      s.calls,
      pct(s.share),
      `${s.runs}/${c.runs}`,
      s.first_run,
      s.last_run,
      s.phases,
    ]),
  );
  const top = new Set(r.top);
  const args = table(
    ["top-20 argument", "model", "values", "most frequent (calls)"],
    c.args
      .filter((a) => top.has(a.syscall))
      .map((a) => [
        `${a.syscall}.${a.name}`,
        a.model,
        a.distinct_values,
        a.top_values
          .slice(0, 3)
          .map((v) => `${v.value} (${v.calls})`)
          .join(", ") +
          (a.mask_union !== null ? `; mask union 0x${a.mask_union.toString(16)}` : "") +
          (a.directories > 0 ? `; ${a.directories} dirs` : ""),
      ]),
  );
  return `${head}\n${types}\n\n${args}\n`;
}

/** One row per image and level: estimates, P(new), runs to 95/99%, paper's figure, verdict. */
export function coverageTable(results: readonly ImageCoverage[]): string {
  const rows = results.flatMap((c) =>
    LEVELS.map((lv) => {
      const s = c.levels[lv];
      return [
        c.image,
        lv,
        c.sampling_unit,
        s.runs,
        s.observed,
        s.q1,
        s.q2,
        f1(s.chao2),
        `[${f1(s.chao2_lower)}, ${f1(s.chao2_upper)}]`,
        f1(s.ichao2),
        f1(s.jack1),
        f1(s.jack2),
        pct(s.p_new),
        s.runs_to_95,
        s.runs_to_99,
        pct(s.paper_kfold.mean),
        s.verdict,
      ];
    }),
  );
  const reasons = results.flatMap((c) => LEVELS.map((lv) => `  ${c.image} ${lv}: ${c.levels[lv].reason}`));
  return (
    table(
      [
        "image",
        "level",
        "per",
        "runs",
        "seen",
        "Q1",
        "Q2",
        "chao2",
        "95% interval",
        "ichao2",
        "jack1",
        "jack2",
        "P(new)",
        "+runs95",
        "+runs99",
        "paper10f",
        "verdict",
      ],
      rows,
    ) +
    "\n" +
    reasons.join("\n") +
    "\n"
  );
}

/** Leave-one-run-out per image and level: predicted vs actual new units of the left-out run. */
export function leaveOneOutTable(results: readonly ImageCoverage[]): string {
  const rows = results.flatMap((c) =>
    LEVELS.map((lv) => {
      const l = c.levels[lv].leave_one_out;
      return [
        c.image,
        lv,
        c.sampling_unit,
        l.rows.length,
        f1(c.levels[lv].chao2),
        Math.round(l.mean_expected_new * 100) / 100,
        Math.round(l.mean_added * 100) / 100,
        pct(l.mean_p_new),
        pct(l.share_adding),
        l.rows.map((r) => `${r.run}:+${r.added}`).join(" "),
      ];
    }),
  );
  return table(
    [
      "image",
      "level",
      "per",
      "runs",
      "chao2(all)",
      "E[new] pred",
      "new actual",
      "P(new) pred",
      "runs adding",
      "added per left-out run or test",
    ],
    rows,
  );
}

const f2 = (x: number): number => Math.round(x * 100) / 100;

/** Per test label and level: whether the runs of that test case alone saturate; "" without labels. */
export function perTestTable(results: readonly ImageCoverage[]): string {
  const rows = results.flatMap((c) =>
    LEVELS.flatMap((lv) =>
      c.levels[lv].per_test.map((t) => [
        c.image,
        lv,
        t.test,
        t.runs,
        t.observed,
        t.q1,
        t.q2,
        f2(t.expected_new),
        pct(t.p_new),
        t.verdict,
      ]),
    ),
  );
  if (rows.length === 0) return "";
  return table(["image", "level", "test", "runs", "seen", "Q1", "Q2", "E[new]", "P(new)", "verdict"], rows);
}

/** Per left-out run (or test case): the prediction from the others beside what it really added. */
export function leftOutTable(results: readonly ImageCoverage[]): string {
  const rows = results.flatMap((c) =>
    LEVELS.flatMap((lv) =>
      c.levels[lv].leave_one_out.rows.map((r) => [
        c.image,
        lv,
        r.run,
        r.q1,
        r.q2,
        f2(r.expected_new),
        pct(r.p_new),
        r.added,
      ]),
    ),
  );
  return table(
    ["image", "level", "left out", "Q1 others", "Q2 others", "E[new] pred", "P(new) pred", "added"],
    rows,
  );
}

/** `text` broken into lines of at most `width` characters (at spaces), each after `indent`. */
function wrap(text: string, width = 100, indent = ""): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

/** The printed output of `sandmine coverage` without --json. */
export function coverageText(results: readonly ImageCoverage[]): string {
  const perTest = perTestTable(results);
  return (
    coverageTable(results) +
    wrap(`scope: ${COVERAGE_SCOPE}.`) +
    "\n" +
    (perTest ? "\nper test case (its own runs as sampling units):\n" + perTest + "\n" : "") +
    "\nleave-one-run-out:\n" +
    leaveOneOutTable(results) +
    "\n\nper left-out run (predicted from the others, then what it added):\n" +
    leftOutTable(results) +
    "\n"
  );
}
