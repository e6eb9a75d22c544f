/**
 * What `characterize --rootfs` keeps of a `reach` result beside its own outputs, and what the
 * report and the notebooks show: M, S, M \ S with each member's explanation, S \ M in two
 * orders (by risk, then likelihood; by likelihood, then risk), counts per class, and the
 * analysis's known limits (the gap categories that can hide a call from S). Pure.
 */
import { LIKELIHOODS, type Likelihood } from "./program.ts";
import { RISK_ORDER, type Comparison, type Gap, type Unseen } from "./compare.ts";

export const REACH_SUMMARY_VERSION = 2;

/** A gap category of the analysis: why a call the code makes may be missing from S. */
export interface Limit {
  kind: "vdso" | "stdio-vtable" | "function-pointer" | "indirect-number" | "interpreter" | "runtime";
  detail: string;
}

export interface ReachSummary {
  version: typeof REACH_SUMMARY_VERSION;
  image: string;
  rootfs: string;
  arch: string;
  runs: number;
  /** runs left out of M (held-out use cases) */
  excludedRuns: string[];
  programs: { path: string; interpreter?: string; reachable: number; missing: string[] }[];
  skipped: { path: string; reason: string }[];
  files: number;
  unknownSites: number;
  mined: string[];
  reachable: string[];
  both: number;
  gaps: Gap[];
  /** S \ M, riskiest first (then likeliest) */
  byRisk: Unseen[];
  /** S \ M, likeliest to be needed first (the program's own code, then libc functions it calls, …) */
  byLikelihood: string[];
  riskCounts: Record<Unseen["risk"], number>;
  likelihoodCounts: Record<Likelihood, number>;
  limits: Limit[];
  /** what it was computed from (pipeline/reach/provenance.ts), written by characterize --rootfs */
  source?: ReachSourceRecord;
  /** set when read back and no longer describing the dataset or rootfs: why, and how to recompute */
  stale?: string;
}

/** The dataset's commit digest for the image and the rootfs identity (shape: pipeline/reach/provenance.ts). */
export interface ReachSourceRecord {
  dataset: { image: string; runs: number; digest: string };
  rootfs:
    | {
        kind: "directory";
        path: string;
        files: { path: string; host: string; size: number; mtimeMs: number }[];
      }
    | { kind: "archive"; path: string; size: number; mtimeMs: number };
}

export interface SummaryInput {
  image: string;
  rootfs: string;
  arch: string;
  runs: number;
  programs: ReachSummary["programs"];
  skipped: ReachSummary["skipped"];
  files: readonly unknown[];
  comparison: Comparison;
  reachableSet: string[];
  minedSet: string[];
  unknownSites: number;
}

/** The gap categories of this analysis, the ones that apply to the result named with its numbers. */
export function limitsOf(r: SummaryInput): Limit[] {
  const out: Limit[] = [
    {
      kind: "vdso",
      detail:
        r.arch === "aarch64"
          ? "clock_gettime, gettimeofday, clock_getres go through the vDSO (the kernel entry is libc's fallback and may be found or not), and rt_sigreturn is the vDSO's trampoline, never libc's"
          : "clock_gettime, gettimeofday, time, getcpu go through the vDSO; the kernel entry is libc's fallback and may be found or not",
    },
    {
      kind: "stdio-vtable",
      detail:
        "glibc's stdio calls its file operations through the FILE's jump table (_IO_file_jumps: data, no call edge); the analysis adds the table's exported members (_IO_file_write, _IO_file_doallocate, …) to every stdio function a file calls, which brings in what only they call (ioctl: isatty in _IO_file_doallocate; mremap). Other FILE kinds (fopencookie's, open_memstream's tables) are not followed",
    },
    {
      kind: "function-pointer",
      detail:
        "indirect calls inside libc (qsort/bsearch callbacks, atexit handlers, pthread_once, NSS modules loaded by dlopen) are not followed; programs and other libraries are taken whole, so their own pointers do not matter",
    },
    {
      kind: "indirect-number",
      detail: `${r.unknownSites} syscall site(s) whose number the walk could not find (computed, loaded from memory, set in another block): a call made only there is missing from S`,
    },
  ];
  if (r.programs.some((p) => p.interpreter) || r.skipped.length > 0) {
    out.push({
      kind: "interpreter",
      detail: `scripts are analysed as their interpreter (${r.programs
        .filter((p) => p.interpreter)
        .map((p) => p.interpreter)
        .join(
          ", ",
        )}); what the script makes it call, JIT code, and ${r.skipped.length} program(s) not analysed are not in S`,
    });
  }
  if (r.comparison.gaps.some((g) => g.reason === "runtime")) {
    out.push({
      kind: "runtime",
      detail:
        "calls the container runtime's init (runc) makes after the filter is loaded and before the entrypoint's execve are the runtime's, not the image's: they are in M, never in S",
    });
  }
  return out;
}

const rankL = (l: Likelihood): number => LIKELIHOODS.indexOf(l);

export function reachSummary(r: SummaryInput, excludedRuns: readonly string[] = []): ReachSummary {
  const c = r.comparison;
  const riskCounts = { warning: 0, info: 0, "outside-default": 0, none: 0 };
  const likelihoodCounts = Object.fromEntries(LIKELIHOODS.map((l) => [l, 0])) as Record<Likelihood, number>;
  for (const u of c.unseen) {
    riskCounts[u.risk]++;
    likelihoodCounts[u.likelihood]++;
  }
  const byLikelihood = [...c.unseen]
    .sort(
      (a, b) =>
        rankL(b.likelihood) - rankL(a.likelihood) ||
        RISK_ORDER[b.risk] - RISK_ORDER[a.risk] ||
        (a.syscall < b.syscall ? -1 : 1),
    )
    .map((u) => u.syscall);
  return {
    version: REACH_SUMMARY_VERSION,
    image: r.image,
    rootfs: r.rootfs,
    arch: r.arch,
    runs: r.runs,
    excludedRuns: [...excludedRuns],
    programs: r.programs.map((p) => ({
      path: p.path,
      ...(p.interpreter ? { interpreter: p.interpreter } : {}),
      reachable: p.reachable,
      missing: p.missing,
    })),
    skipped: r.skipped,
    files: r.files.length,
    unknownSites: r.unknownSites,
    mined: r.minedSet,
    reachable: r.reachableSet,
    both: c.both,
    gaps: c.gaps,
    byRisk: c.unseen,
    byLikelihood,
    riskCounts,
    likelihoodCounts,
    limits: limitsOf(r),
  };
}

/** The comparison as text lines under characterize's tables. */
export function reachSummaryText(s: ReachSummary, limit = 20): string {
  const out: string[] = [];
  const unseen = s.byRisk.length;
  out.push(
    `static reach (${s.rootfs}, ${s.arch}, ${s.files} file(s)): |M| ${s.mined.length}, |S| ${s.reachable.length}, both ${s.both}, |M\\S| ${s.gaps.length}, |S\\M| ${unseen}`,
  );
  out.push(`M \\ S (mined, not reachable): ${s.gaps.length}`);
  for (const g of s.gaps) out.push(`  ${g.syscall}  ${g.reason}: ${g.detail}`);
  const rc = s.riskCounts;
  out.push(
    `S \\ M by risk: ${rc.warning} warning, ${rc.info} info, ${rc["outside-default"]} outside the runtime default, ${rc.none} none`,
  );
  for (const u of s.byRisk.filter((x) => x.risk !== "none").slice(0, limit)) {
    out.push(
      `  ${u.syscall}  ${u.risk}${u.cves.length ? ` ${u.cves.join(" ")}` : ""}  ${u.likelihood}  ${u.origins[0] ?? ""}`,
    );
  }
  const lc = s.likelihoodCounts;
  out.push(
    `S \\ M by likelihood: ${lc.program} from the program's own code, ${lc["program-libc"]} from libc functions it calls, ${lc.library} only from libraries, ${lc.startup} only at start-up`,
  );
  const likely = s.byLikelihood.slice(0, limit);
  if (likely.length) out.push(`  likeliest first: ${likely.join(" ")}${unseen > likely.length ? " …" : ""}`);
  out.push("known analysis limits:");
  for (const l of s.limits) out.push(`  ${l.kind}: ${l.detail}`);
  return out.join("\n");
}
