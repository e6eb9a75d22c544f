/**
 * The study's comparison with Wan et al. (EMSE 2019): per image, sandmine's numbers beside the
 * paper's (stages/study/paper.ts) — syscall types allowed, type+argument rules, mining time,
 * saturation, coverage estimators, false alarms on the use cases, overhead ratios with their
 * intervals, the syscall micro-benchmark, attack surface against the runtime default and probes
 * blocked. A pure function of the loaded results (stages/study/results.ts); `renderComparison`
 * writes the Markdown the study README and the report carry.
 */
import type { ImageCoverage, Level } from "../../schemas/coverage.ts";
import type {
  MicroBenchRow,
  OverheadResult,
  OverheadRow,
  ProfileResult,
  ValidationReport,
} from "../../schemas/validation-report.ts";
import { median } from "../host/bootstrap.ts";
import { PAPER_STUDY, PAPER_SUBJECTS, type PaperSubject } from "./paper.ts";
import type { EntryResults, StudyResults } from "./results.ts";

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  notes: string[];
}

const MODES = ["none", "safe", "learned"] as const;
const DASH = "—";

const paperOf = (entry: string): PaperSubject | null => PAPER_SUBJECTS.find((p) => p.entry === entry) ?? null;

const pct1 = (share: number): string => `${(share * 100).toFixed(1)} %`;
/** a ratio to baseline as a signed change: 0.97 → "−3.0 %". */
export function change(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return DASH;
  const d = (r - 1) * 100;
  const s = Math.abs(d).toFixed(1);
  return s === "0.0" ? "±0.0 %" : `${d < 0 ? "−" : "+"}${s} %`;
}
const changeCi = (
  r: number | null | undefined,
  lo: number | null | undefined,
  hi: number | null | undefined,
) =>
  r === null || r === undefined || !Number.isFinite(r)
    ? DASH
    : `${change(r)} [${change(lo).replace(" %", "")}, ${change(hi).replace(" %", "")}]`;
const num = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || !Number.isFinite(n)
    ? DASH
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Seconds after a run's first event at which the last new unit of `level` appeared, max over runs. */
export function saturationSeconds(cov: ImageCoverage | null, level: Level): number | null {
  const time = cov?.levels[level]?.time;
  if (!time) return null;
  let max: number | null = null;
  for (const pts of Object.values(time)) {
    const last = pts.at(-1);
    if (last) max = Math.max(max ?? 0, last.seconds);
  }
  return max;
}

/**
 * Runs until the rule count stops growing: the fewest runs whose expected count (exact, over all
 * run orders) is within half a unit of everything observed. Null without a curve.
 */
export function runsUntilFlat(cov: ImageCoverage | null, level: Level): number | null {
  const l = cov?.levels[level];
  if (!l || l.curve.length === 0) return null;
  for (const p of l.curve) if (p.expected >= l.observed - 0.5) return p.runs;
  return l.curve.at(-1)!.runs;
}

/** The profile results of every validation report of the entry, by label (first report wins). */
function profileResults(e: EntryResults): Map<string, ProfileResult> {
  const m = new Map<string, ProfileResult>();
  for (const r of e.validation)
    for (const p of r.profiles) {
      const have = m.get(p.label);
      // merge the parts of one profile that separate reports carry
      m.set(p.label, have ? mergeProfile(have, p) : p);
    }
  return m;
}

function mergeProfile(a: ProfileResult, b: ProfileResult): ProfileResult {
  return {
    ...a,
    enforce: a.enforce ?? b.enforce,
    complain: a.complain ?? b.complain,
    probes: a.probes ?? b.probes,
    heldOut: a.heldOut ?? b.heldOut,
  };
}

const overheadOf = (e: EntryResults): OverheadResult | null =>
  e.validation.map((r: ValidationReport) => r.overhead).find((o) => o !== null && o !== undefined) ?? null;

function miningSeconds(e: EntryResults): number | null {
  if (e.runs.length === 0) return null;
  return e.runs.reduce((s, r) => s + (r.lastNs - r.firstNs) / 1e9, 0);
}

function rulesTable(s: StudyResults): Table {
  const rows: string[][] = [];
  for (const e of s.entries) {
    const p = paperOf(e.name);
    const none = e.profiles.none;
    const learned = e.profiles.learned;
    const types = none?.allowed ?? e.characterize?.rules.type_rules ?? null;
    const typeArgs = e.characterize?.rules.type_arg_rules ?? null;
    const mined = miningSeconds(e);
    rows.push([
      e.name,
      p ? `${p.name} ${p.version}` : DASH,
      `${p ? p.types : DASH} / ${num(types)}`,
      `${p ? p.typeArgs : DASH} / ${num(typeArgs)}${learned ? ` (learned: ${learned.conditional} conditional)` : ""}`,
      `${p ? p.runSeconds : DASH} / ${mined === null ? DASH : `${num(mined, 1)} (${e.runs.length} run${e.runs.length === 1 ? "" : "s"})`}`,
      `${p ? `< ${p.saturationBelowSeconds}` : DASH} / ${num(saturationSeconds(e.coverage, "type"), 1)} · ${num(saturationSeconds(e.coverage, "arg"), 1)}`,
      `${num(runsUntilFlat(e.coverage, "type"))} · ${num(runsUntilFlat(e.coverage, "arg"))} of ${num(e.coverage?.runs)}`,
    ]);
  }
  for (const p of PAPER_SUBJECTS.filter((x) => x.entry === null))
    rows.push([
      DASH,
      `${p.name} ${p.version}`,
      `${p.types} / ${DASH}`,
      `${p.typeArgs} / ${DASH}`,
      `${p.runSeconds} / ${DASH}`,
      `< ${p.saturationBelowSeconds} / ${DASH}`,
      DASH,
    ]);
  return {
    title: "Rules, mining time and saturation (paper / sandmine)",
    header: [
      "image",
      "paper subject",
      "syscall types allowed",
      "type+arg rules",
      "mining s (paper: run length)",
      "saturation s (paper: type+arg; ours: types · type+arg)",
      "runs until flat (types · type+arg)",
    ],
    rows,
    notes: [
      "sandmine's types are the `none` profile's allowed syscalls (runc's start-up included, as the paper's are); type+arg rules are counted the paper's way (the 20 most invoked types get argument models: one TRACE rule for a path model, one ALLOW rule per observed tuple of discrete values; every other type one name-only rule; stages/characterize/rules.ts), over the governed phases; beside it, how many syscalls the `learned` profile allows only under argument conditions.",
      "Mining s is the recorded workload time (first to last event, summed over runs); saturation is the latest time after a run's start at which a new type (· rule) appeared, the max over runs; runs until flat is the fewest runs whose expected count over all run orders is within half a unit of the total.",
      "MongoDB is not in Debian: its row is the paper's alone.",
    ],
  };
}

function coverageTable(s: StudyResults): Table {
  const rows: string[][] = [];
  for (const e of s.entries) {
    const p = paperOf(e.name);
    const c = e.coverage;
    const t = c?.levels.type;
    const a = c?.levels.arg;
    const loo = t?.leave_one_out;
    rows.push([
      e.name,
      p ? `${pct1(p.kfold.mean)} (min ${pct1(p.kfold.min)})` : DASH,
      t?.paper_kfold ? `${pct1(t.paper_kfold.mean)} (min ${pct1(t.paper_kfold.min)})` : DASH,
      t?.chao2 !== undefined
        ? `${t.observed} / ${num(t.chao2, 1)} [${num(t.chao2_lower, 1)}, ${num(t.chao2_upper, 1)}]`
        : DASH,
      a?.chao2 !== undefined
        ? `${a.observed} / ${num(a.chao2, 1)} [${num(a.chao2_lower, 1)}, ${num(a.chao2_upper, 1)}]`
        : DASH,
      t && a ? `${num(t.p_new, 2)} · ${num(a.p_new, 2)}` : DASH,
      loo ? `${num(loo.mean_expected_new, 2)} / ${num(loo.mean_added, 2)}` : DASH,
      c?.verdict ?? DASH,
    ]);
  }
  return {
    title: "Coverage (paper: 10-fold CV on events; sandmine: the same, and estimators on per-run incidence)",
    header: [
      "image",
      "paper 10-fold mean",
      "ours 10-fold mean (types)",
      "types: observed / Chao2 [95 %]",
      "type+arg: observed / Chao2 [95 %]",
      "P(new) next run (types · type+arg)",
      "leave-one-run-out: predicted new / added (types)",
      "verdict",
    ],
    rows,
    notes: [
      "The paper's 10-fold figure splits events at random, so it counts how many types are rare in the trace; Chao2 and P(new) use which runs saw each unit, and leave-one-run-out checks the prediction on the run held out (stages/coverage/).",
    ],
  };
}

function falseAlarmTable(s: StudyResults): Table {
  const rows: string[][] = [];
  let total = 0;
  for (const e of s.entries) {
    const p = paperOf(e.name);
    const prof = profileResults(e);
    const cells = MODES.map((m) => {
      const r = prof.get(m);
      if (!r?.enforce) return DASH;
      const uc = r.enforce.rows.filter((x) => x.kind === "use_case");
      const bad = uc.filter((x) => x.regression);
      if (m === "safe") total += bad.length;
      const named = bad.map((x) => {
        const denied = (r.complain?.summary ?? [])
          .filter((d) => d.attributedTo.includes(x.name))
          .map((d) => d.syscall);
        return denied.length > 0 ? `${x.name} (${denied.join(", ")})` : x.name;
      });
      // audit records of use cases that still passed: the paper counted these messages as alarms
      const names = new Set(uc.map((x) => x.name));
      const failedNames = new Set(bad.map((x) => x.name));
      const logged = (r.complain?.summary ?? []).flatMap((d) =>
        d.attributedTo.filter((t) => names.has(t) && !failedNames.has(t)).map((t) => `${d.syscall} in ${t}`),
      );
      return `${bad.length}/${uc.length}${named.length > 0 ? `: ${named.join("; ")}` : ""}${logged.length > 0 ? `; logged, passed: ${logged.join(", ")}` : ""}`;
    });
    const tests = prof.get("safe")?.enforce?.rows.filter((x) => x.kind === "test" && x.regression).length;
    rows.push([e.name, p ? String(p.useCases) : DASH, ...cells, tests === undefined ? DASH : String(tests)]);
  }
  return {
    title: "False alarms on the use cases (not recorded, run under enforcement)",
    header: ["image", "paper use cases", "none", "safe", "learned", "recorded tests failing under safe"],
    rows,
    notes: [
      `Paper: ${PAPER_STUDY.falseAlarms.type} false alarms with types, ${PAPER_STUDY.falseAlarms.typeArg} with type+arg over its 30 use cases (MongoDB's 3 included). sandmine under safe: ${total} over the use cases above.`,
      "Each cell: use cases failing under enforcement / use cases, a failing one named with the syscalls the complain run's audit records attribute to it; then the audit records of use cases that passed all the same (a denied call the server shrugs off — the paper's auditd count would include these).",
    ],
  };
}

const rowOf = (o: OverheadResult, config: string): OverheadRow | undefined =>
  o.rows.find((r) => r.config === config);

function overheadTable(s: StudyResults): Table {
  const rows: string[][] = [];
  const configs = ["docker-default", ...MODES];
  for (const e of s.entries) {
    const o = overheadOf(e);
    if (!o) continue;
    const p = paperOf(e.name);
    const base = rowOf(o, "unconfined");
    const paper = p?.dbOverhead
      ? `${p.dbOverhead.approx ? "≈" : ""}−${(p.dbOverhead.type * 100).toFixed(2)} · −${(p.dbOverhead.typeArg * 100).toFixed(2)} · −${(p.dbOverhead.dockerDefault * 100).toFixed(2)} %`
      : e.name === "nginx"
        ? `type+arg ${change(PAPER_STUDY.nginxTypeArgThroughput)} (ptrace)`
        : DASH;
    rows.push([
      e.name,
      "throughput",
      `${num(base?.median, 0)} ${o.unit} (${o.rounds} rounds)`,
      ...configs.map((c) => {
        const r = rowOf(o, c);
        return r ? changeCi(r.ratioPaired ?? r.ratio, r.ratioLo, r.ratioHi) : DASH;
      }),
      paper,
    ]);
    if (o.cpuSource)
      rows.push([
        e.name,
        "CPU per op",
        `${num(median((base?.cpuPerOp ?? []).filter((x): x is number => x !== null)) * 1e6, 1)} µs`,
        ...configs.map((c) => {
          const r = rowOf(o, c);
          return r ? changeCi(r.cpuRatio, r.cpuRatioLo, r.cpuRatioHi) : DASH;
        }),
        DASH,
      ]);
  }
  return {
    title: "Overhead against unconfined (median per-round change [95 % bootstrap interval])",
    header: [
      "image",
      "measure",
      "unconfined (median)",
      "Docker default",
      "none",
      "safe",
      "learned",
      "paper: type · type+arg · Docker default",
    ],
    rows,
    notes: [
      "Rounds are interleaved (every configuration once per round, a fresh container each, the order rotated); each ratio is round i against unconfined round i, so the machine's load in that round divides out; intervals are percentile bootstrap over rounds (2,000 resamples, seed 1, stages/host/bootstrap.ts).",
      "CPU per op is the container cgroup's CPU time during the measured run over the operations it served (the server alone: the clients run on the host).",
      "Paper: DB TPS reduction (Fig. 9; ≈ read off the figure); web servers at baseline except Nginx with its ptrace path checks, about −27 %.",
    ],
  };
}

function microTable(s: StudyResults): Table {
  const rows: string[][] = [];
  const configs = ["docker-default", ...MODES];
  for (const e of s.entries) {
    // the first report that ran the micro-benchmark (a separate overhead run may carry it)
    const micro: MicroBenchRow[] =
      e.validation.map((r) => r.overhead?.micro).find((m) => m && m.length > 0) ?? [];
    const calls = [...new Set(micro.map((m) => m.call))];
    for (const call of calls) {
      const at = (c: string) => micro.find((m) => m.call === call && m.config === c);
      const base = at("unconfined");
      rows.push([
        e.name,
        call,
        base ? `${num(base.median, 0)} ns (${base.measure})` : DASH,
        ...configs.map((c) => {
          const r = at(c);
          if (!r) return DASH;
          const mark = r.argRules ? " †" : "";
          const denied = r.errno > 0 && (base?.errno ?? 0) === 0 ? ` (errno ${r.errno})` : "";
          return `${changeCi(r.ratio, r.ratioLo, r.ratioHi)}${mark}${denied}`;
        }),
      ]);
    }
  }
  return {
    title: "Syscall micro-benchmark: cost per call against unconfined (median per-round change [95 %])",
    header: ["image", "call", "unconfined", "Docker default", "none", "safe", "learned"],
    rows,
    notes: [
      "† the profile has argument conditions on this call: the kernel's seccomp action cache (Linux ≥ 5.11) cannot answer it, so the BPF program runs on every call. Calls without † are answered from the cache whatever the profile's length.",
      "datasets/record/progs/syscall-bench.c, run by docker exec in each overhead round's container; ns are the bench thread's CPU time per call, or where the profile denies the CPU clock (mined profiles of servers that read clocks through the vDSO do) wall time: the 10th percentile over chunks of 25 calls, so chunks in which the thread waited for a core drop out. An errno marks a call the profile denies (the filter still runs for it).",
    ],
  };
}

function surfaceTable(s: StudyResults): Table {
  const rows: string[][] = [];
  for (const e of s.entries) {
    const safe = e.profiles.safe;
    const d = safe?.defaults.find((x) => x.runtime === "docker") ?? safe?.defaults[0];
    const probes = profileResults(e).get("safe")?.probes ?? null;
    const failed = (run: { errno: number | null }) => run.errno !== null && run.errno !== 0;
    rows.push([
      e.name,
      d ? `${d.allowed_ours} / ${d.allowed_default} (${pct1(d.allowed_ours / d.allowed_default)})` : DASH,
      d ? `${d.only_default.length}` : DASH,
      d ? (d.dangerous_removed.length > 0 ? d.dangerous_removed.join(", ") : "none") : DASH,
      probes
        ? `${probes.filter((x) => x.blocked).length}/${probes.length} · ${probes.filter((x) => failed(x.runtimeDefault)).length} · ${probes.filter((x) => failed(x.unconfined)).length}`
        : DASH,
    ]);
  }
  return {
    title: "Attack surface against the runtime default, and probes blocked",
    header: [
      "image",
      "allowed: safe / Docker default",
      "Docker default allows, safe denies",
      "dangerous calls removed",
      "probes: blocked by safe · failed under Docker default · failed unconfined",
    ],
    rows,
    notes: [
      `Paper: ${PAPER_STUDY.kernelSyscalls} syscalls on kernel 4.4 fall to 66–105; Docker's 2017 default blocked ${PAPER_STUDY.dockerDefaultBlocked}. Docker's default here is moby/profiles v0.2.3 as the synthesize report compares it.`,
    ],
  };
}

/** The comparison tables of a study, in the README's order. */
export function compareStudy(s: StudyResults): Table[] {
  return [
    rulesTable(s),
    coverageTable(s),
    falseAlarmTable(s),
    overheadTable(s),
    microTable(s),
    surfaceTable(s),
  ];
}

const cell = (x: string) => x.replace(/\|/g, "\\|");

/** Markdown of the tables (deterministic: same results, same bytes). */
export function renderComparison(s: StudyResults, tables: Table[] = compareStudy(s)): string {
  const out: string[] = [`Study \`${s.name}\` (${s.scope}).`, ""];
  for (const t of tables) {
    out.push(`#### ${t.title}`, "");
    if (t.rows.length === 0) {
      out.push("(no results)", "");
      continue;
    }
    out.push(`| ${t.header.map(cell).join(" | ")} |`, `|${t.header.map(() => "---").join("|")}|`);
    for (const r of t.rows) out.push(`| ${r.map(cell).join(" | ")} |`);
    out.push("");
    for (const n of t.notes) out.push(`- ${n}`);
    out.push("");
  }
  return out.join("\n");
}
