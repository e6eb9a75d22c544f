/**
 * Which kernel argument an event parameter is: sysdig names parameters its own way (`name` for
 * openat's `filename`, `size` for read's `count`), so each parameter name lists the kernel
 * parameter names (from schemas/generated/syscall-args.ts) it may stand for, tried in order.
 */
import { argSpecs } from "../../schemas/consts.ts";

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  fd: ["fd", "fildes", "ufd", "epfd", "sockfd"],
  dirfd: ["dfd", "dirfd", "fd"],
  name: ["filename", "pathname", "path", "name", "special_file", "uservaddr"],
  path: ["filename", "pathname", "path", "name", "dir_name"],
  filename: ["filename", "pathname", "path"],
  pathname: ["filename", "pathname", "path"],
  flags: ["flags", "clone_flags", "mode", "options"],
  mode: ["mode", "umode"],
  size: ["count", "len", "size", "vlen"],
  length: ["len", "length"],
  len: ["len", "length"],
  addr: ["addr", "start", "brk", "uaddr"],
  offset: ["off", "offset", "pos"],
  pos: ["pos", "pos_l"],
  domain: ["family", "domain"],
  proto: ["protocol"],
  sig: ["sig"],
  tid: ["pid", "tid"],
  pid: ["pid", "upid"],
  request: ["request", "cmd"],
  op: ["op"],
  val: ["val"],
  resource: ["resource"],
  how: ["how"],
  backlog: ["backlog"],
  whence: ["whence", "origin"],
  cmd: ["cmd"],
  oldpath: ["oldname", "from", "oldpath"],
  newpath: ["newname", "to", "newpath"],
  target: ["oldname", "target"],
  linkpath: ["newname", "linkpath"],
  olddirfd: ["olddfd"],
  newdirfd: ["newdfd"],
  olddir: ["olddfd"],
  newdir: ["newdfd"],
  linkdirfd: ["newdfd"],
  prot: ["prot"],
  initval: ["count"],
  nstype: ["nstype", "flags"],
  fd_in: ["fd_in"],
  fd_out: ["fd_out"],
  out_fd: ["out_fd"],
  in_fd: ["in_fd"],
  uid: ["uid", "user"],
  gid: ["gid", "group"],
  ruid: ["ruid"],
  euid: ["euid"],
  suid: ["suid"],
  rgid: ["rgid"],
  egid: ["egid"],
  sgid: ["sgid"],
  timeout: ["timeout_msecs", "timeout"],
  maxevents: ["maxevents"],
  semid: ["semid"],
  semnum: ["semnum"],
  nsems: ["nsems"],
  semflg: ["semflg"],
  key: ["key"],
  option: ["option"],
  operation: ["cmd", "operation"],
  clockid: ["clockid"],
  pgid: ["pgid"],
  argument: ["arg"],
  resolve: [],
  fdin: ["fd_in"],
  fdout: ["fd_out"],
  offin: ["off_in"],
  offout: ["off_out"],
  oldfd: ["oldfd", "fildes"],
  newfd: ["newfd"],
  level: ["level"],
  optname: ["optname"],
  optlen: ["optlen"],
  interval: [],
};

const cache = new Map<string, Map<string, number>>();

/** Kernel argument index (0-5) of parameter `param` of `syscall`, or -1. */
export function kernelArgIndex(syscall: string, param: string, arch: string): number {
  const key = `${arch} ${syscall}`;
  let bySyscall = cache.get(key);
  if (bySyscall === undefined) cache.set(key, (bySyscall = new Map()));
  let r = bySyscall.get(param);
  if (r === undefined) {
    r = -1;
    const specs = argSpecs(syscall, arch) ?? [];
    for (const cand of ALIASES[param] ?? [param]) {
      const i = specs.findIndex((s) => s.name === cand);
      if (i >= 0) {
        r = i;
        break;
      }
    }
    bySyscall.set(param, r);
  }
  return r;
}
