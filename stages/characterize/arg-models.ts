/**
 * Which argument of which syscall is characterized, from which dataset column, and how: derived
 * from the one syscall argument table (schemas/consts.ts `argSpecs`, each argument's `role`), never
 * listed by hand except the paper's own Table 1. Only enum, flags, family, fd and path arguments
 * are rule candidates; magnitudes (lengths, counts, sizes, timeouts, offsets, ids) and file modes
 * are counted but never modelled as rules, coverage units or the paper's argument models.
 */
import { argSpecs, type ArgSpec } from "../../schemas/consts.ts";
import { SYSCALL_ARGS, type ArgRole } from "../../schemas/generated/syscall-args.ts";

/** Where an argument's observed value comes from in the events table. */
export type ArgSource = "a0" | "a1" | "a2" | "a3" | "a4" | "a5" | "path" | "path2" | "fd_kind" | "sa_family";

/**
 * How the values of an argument are summarized:
 * discrete (a set of kernel values of an enum), flags (a set of masks and their union), fd_kind
 * (what the first decorated descriptor is: file, socket:TCP, pipe, anon_inode:[eventpoll]…), dirfd
 * (AT_FDCWD or a descriptor), socket_family (AF_* of a socket() call or a sockaddr), path (paths
 * and their directories), magnitude (a magnitude's or file mode's values, counted only: never a
 * rule candidate).
 */
export type ArgModelKind =
  "discrete" | "flags" | "fd_kind" | "dirfd" | "socket_family" | "path" | "magnitude";

/** Roles whose values may become rules (characterize's models, coverage units, the paper's counts). */
export const RULE_CANDIDATE_ROLES: readonly ArgRole[] = ["enum", "flags", "family", "fd", "dirfd", "path"];
/** Roles a seccomp argument comparison can test (the register holds the value itself). */
export const SECCOMP_RULE_ROLES: readonly ArgRole[] = ["enum", "flags", "family"];

/** One characterized argument. */
export interface ArgModel {
  syscall: string;
  /** kernel argument position (0-5), or -1 for a sockaddr's family */
  pos: number;
  name: string;
  /** the argument kind in schemas/ (fd, path, flags, enum, number, …) */
  kind: string;
  /** the argument role in schemas/ (enum, flags, family, fd, dirfd, path, magnitude, mode, …) */
  role: ArgRole;
  model: ArgModelKind;
  source: ArgSource;
  /** true when the argument's values may become rules (its role is in RULE_CANDIDATE_ROLES) */
  candidate: boolean;
  /** true when the argument's values are (syscall, argument) coverage units (= candidate) */
  unit: boolean;
  /**
   * true when the paper's rule models it: a candidate the paper lists in Table 1 (for the
   * syscalls it lists), else a candidate the table types as enum, flags or path (discrete args of
   * the top-20 types); the magnitudes of Table 1 (sendto len, recvfrom size, poll timeout, …) are not
   */
  paper: boolean;
}

/**
 * Wan et al. 2019, Table 1: the arguments the paper modelled (union across its containers). For
 * syscalls it does not list, the paper's rule is read as: discrete (enum/flags) and path arguments.
 * Its magnitudes (epoll_wait maxevents, exit error_code, poll timeout, recvfrom size, sendto len,
 * semop nsops) are kept here as the paper's facts but are not modelled: they are no rules.
 */
export const PAPER_TABLE1: Readonly<Record<string, readonly string[]>> = {
  access: ["filename", "mode"],
  epoll_wait: ["maxevents"],
  exit: ["error_code"],
  fcntl: ["cmd"],
  futex: ["op"],
  lstat: ["filename"],
  stat: ["filename"],
  mmap: ["prot", "flags"],
  open: ["filename", "flags"],
  openat: ["filename", "flags"],
  poll: ["timeout"],
  recvfrom: ["size"],
  sendto: ["len"],
  semop: ["nsops"],
  shutdown: ["how"],
  socket: ["family", "type", "protocol"],
  socketpair: ["family", "type", "protocol"],
};

const SOCKADDR = /addr/;

/** Whether an argument of this role may become a rule (see RULE_CANDIDATE_ROLES). */
export function isRuleCandidate(role: ArgRole): boolean {
  return RULE_CANDIDATE_ROLES.includes(role);
}

function modelOf(
  syscall: string,
  spec: ArgSpec,
  pos: number,
  firstFd: boolean,
  paths: number,
): ArgModel | null {
  const base = { syscall, pos, name: spec.name, kind: spec.kind, role: spec.role };
  const listed = PAPER_TABLE1[syscall];
  // Syscalls Table 1 does not list: the arguments the table types as enum, flags or path (as
  // before roles existed). Signal numbers and integer parameters holding named constants (flock
  // cmd, fadvise64 advice, …) are enums by role, characterized and coverage units, but not added to
  // the paper's models: `learned` rules on them would be new, and a signal handled or a command
  // used on a path the recording missed would be a false alarm.
  const paper = listed ? listed.includes(spec.name) : ["flags", "enum", "path"].includes(spec.kind);
  const scalar = `a${pos}` as ArgSource;
  const rule = { candidate: true, unit: true };
  switch (spec.role) {
    case "path":
      if (paths > 1) return null;
      return { ...base, model: "path", source: paths === 0 ? "path" : "path2", ...rule, paper };
    case "fd":
      return firstFd ? { ...base, model: "fd_kind", source: "fd_kind", ...rule, paper: false } : null;
    case "dirfd":
      return { ...base, model: "dirfd", source: scalar, ...rule, paper: false };
    case "flags":
      return { ...base, model: "flags", source: scalar, ...rule, paper };
    case "family":
      return { ...base, model: "socket_family", source: scalar, ...rule, paper };
    case "enum":
      return { ...base, model: "discrete", source: scalar, ...rule, paper };
    case "magnitude":
    case "mode":
      // counted (distinct values, most frequent) but never a rule, unit or paper model; addresses
      // held in integer registers (mmap addr, brk) are not even counted, as pointers are not
      if (spec.kind === "pointer") return null;
      return { ...base, model: "magnitude", source: scalar, candidate: false, unit: false, paper: false };
    default:
      return null;
  }
}

/** The characterized arguments of one syscall (empty for unknown syscalls). */
export function argModels(syscall: string): ArgModel[] {
  const specs = argSpecs(syscall) ?? [];
  const out: ArgModel[] = [];
  let paths = 0;
  let fdSeen = false;
  let sockaddr = false;
  specs.forEach((spec, pos) => {
    if (pos > 5) return;
    const decorated = spec.kind === "fd" || spec.kind === "dirfd";
    const m = modelOf(syscall, spec, pos, decorated && !fdSeen, paths);
    if (decorated) fdSeen = true;
    if (spec.kind === "path") paths++;
    if (m) out.push(m);
    if (spec.kind === "struct" && SOCKADDR.test(spec.name)) sockaddr = true;
  });
  if (sockaddr) {
    out.push({
      syscall,
      pos: -1,
      name: "sockaddr.sa_family",
      kind: "struct",
      role: "family",
      model: "socket_family",
      source: "sa_family",
      candidate: true,
      unit: true,
      paper: false,
    });
  }
  return out;
}

let all: readonly ArgModel[] | undefined;

/**
 * The models of every syscall in the argument table, sorted by syscall then position. Made once
 * per process (10-17 ms each time, and every analysis command asks for them: the table is constant).
 */
export function allArgModels(): readonly ArgModel[] {
  all ??= Object.freeze(
    Object.keys(SYSCALL_ARGS)
      .sort()
      .flatMap((s) => argModels(s)),
  );
  return all;
}
