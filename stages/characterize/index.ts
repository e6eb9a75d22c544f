/** The characterize stage: argument models, SQL builders and the paper's rule counts (pure). */
export {
  PAPER_TABLE1,
  RULE_CANDIDATE_ROLES,
  SECCOMP_RULE_ROLES,
  allArgModels,
  argModels,
  isRuleCandidate,
  type ArgModel,
  type ArgModelKind,
  type ArgSource,
} from "./arg-models.ts";
export { paperRuleCounts, type PaperTuples, type RuleCounts, type TypeCalls } from "./rules.ts";
export {
  ARGS_SQL,
  FD_KIND_SQL,
  PAPER_TUPLES_SQL,
  PATH_DIR_SQL,
  RAW_GROUP_KEYS,
  RUN_SPANS_SQL,
  SYSCALLS_BY_SQL,
  SYSCALLS_SQL,
  argValuesSelect,
  argValuesSql,
  eventsSource,
  modelsTableSql,
  rawGroupsSelect,
  runGroupsSelect,
  signatureFromGroups,
  signatureSelect,
  signatureSql,
  storedGroupsSelect,
  unitsSql,
} from "./sql.ts";
