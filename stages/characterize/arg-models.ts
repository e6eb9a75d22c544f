/**
 * Which argument of which syscall is characterized, from which dataset column, and how: derived
 * from the one syscall argument table (schemas/consts.ts `argSpecs`), never listed by hand except
 * the paper's own Table 1.
 */
import { argSpecs, type ArgSpec } from "../../schemas/consts.ts";
import { SYSCALL_ARGS } from "../../schemas/generated/syscall-args.ts";

/** Where an argument's observed value comes from in the events table. */
export type ArgSource = "a0" | "a1" | "a2" | "a3" | "a4" | "a5" | "path" | "path2" | "fd_kind" | "sa_family";

/**
 * How the values of an argument are summarized:
 * discrete (a set of kernel values), flags (a set of masks and their union), fd_kind (what the
 * first decorated descriptor is: file, socket:TCP, pipe, anon_inode:[eventpoll]…), dirfd
 * (AT_FDCWD or a descriptor), socket_family (AF_* of a socket() call or a sockaddr), path (paths
 * and their directories).
 */
export type ArgModelKind = "discrete" | "flags" | "fd_kind" | "dirfd" | "socket_family" | "path";

/** One characterized argument. */
export interface ArgModel {
  syscall: string;
  /** kernel argument position (0-5), or -1 for a sockaddr's family */
  pos: number;
  name: string;
  /** the argument kind in schemas/ (fd, path, flags, enum, number, …) */
  kind: string;
  model: ArgModelKind;
  source: ArgSource;
  /** true when the argument's values are (syscall, argument) coverage units */
  unit: boolean;
  /** true when the paper (Table 1) or its rule (discrete args of the top-20 types) models it */
  paper: boolean;
}

/**
 * Wan et al. 2019, Table 1: the arguments the paper modelled (union across its containers). For
 * syscalls it does not list, the paper's rule is read as: discrete (enum/flags) and path arguments.
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

function modelOf(
  syscall: string,
  spec: ArgSpec,
  pos: number,
  firstFd: boolean,
  paths: number,
): ArgModel | null {
  const base = { syscall, pos, name: spec.name, kind: spec.kind };
  const listed = PAPER_TABLE1[syscall];
  const paper = listed ? listed.includes(spec.name) : ["flags", "enum", "path"].includes(spec.kind);
  const scalar = `a${pos}` as ArgSource;
  switch (spec.kind) {
    case "path":
      if (paths > 1) return null;
      return { ...base, model: "path", source: paths === 0 ? "path" : "path2", unit: true, paper };
    case "fd":
      return firstFd ? { ...base, model: "fd_kind", source: "fd_kind", unit: true, paper: false } : null;
    case "dirfd":
      return { ...base, model: "dirfd", source: scalar, unit: true, paper: false };
    case "flags":
      return { ...base, model: "flags", source: scalar, unit: true, paper };
    case "enum":
      if (spec.table === "socket_domain") {
        return { ...base, model: "socket_family", source: scalar, unit: true, paper };
      }
      return { ...base, model: "discrete", source: scalar, unit: true, paper };
    case "mode":
    case "signal":
    case "uid":
      return { ...base, model: "discrete", source: scalar, unit: true, paper };
    case "number":
      // sizes and counts: characterized, but units only where the paper modelled them
      return { ...base, model: "discrete", source: scalar, unit: paper, paper };
    case "pid":
      return { ...base, model: "discrete", source: scalar, unit: false, paper: false };
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
      model: "socket_family",
      source: "sa_family",
      unit: true,
      paper: false,
    });
  }
  return out;
}

/** The models of every syscall in the argument table, sorted by syscall then position. */
export function allArgModels(): ArgModel[] {
  return Object.keys(SYSCALL_ARGS)
    .sort()
    .flatMap((s) => argModels(s));
}
