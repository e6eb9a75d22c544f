/**
 * The results of the characterize stage, declared once: what pipeline/analyze/characterize.ts
 * writes (DATASET/characterize/image=NAME/characterize.json, `sandmine characterize --json`) and
 * what the report's views pick from (stages/report/model.ts).
 */

/**
 * The paper's rule counts (Wan et al. 2019, Sec. 4.4 and 5.2), computed by
 * stages/characterize/rules.ts: type rules, type+argument rules, and the top types with their
 * share of invocations.
 */
export interface RuleCounts {
  type_rules: number;
  type_arg_rules: number;
  top: string[];
  top_share: number;
}

/** One syscall type of an image. */
export interface SyscallRow {
  syscall: string;
  calls: number;
  share: number;
  runs: number;
  first_run: string;
  last_run: string;
  phases: string;
  processes: string;
}

/** One characterized argument of an image. */
export interface ArgRow {
  syscall: string;
  pos: number;
  name: string;
  kind: string;
  model: string;
  calls: number;
  distinct_values: number;
  top_values: { value: string; calls: number }[];
  mask_union: number | null;
  directories: number;
}

/** The characterization of one image. */
export interface ImageCharacterization {
  image: string;
  runs: number;
  events: number;
  /** rule counts over the phases a profile governs (not `runtime`) */
  rules: RuleCounts & {
    /** syscall types in every phase, `runtime` included */
    type_rules_all_phases: number;
  };
  syscalls: SyscallRow[];
  args: ArgRow[];
}
