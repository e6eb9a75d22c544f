/**
 * What each file descriptor of each process refers to, in strace's `-yy` notation, so that scap
 * rows get the `fd_path` and `ret_path` columns strace captures have. Kept from the capture's fd
 * list blocks and from the calls that create, copy and close descriptors. Only what the capture
 * states exactly is written; anything else leaves the descriptor undecorated (null):
 *
 * - files and directories: the path as opened (absolute, or joined to the known cwd or dirfd and
 *   normalised lexically; symlinks are not resolved, as strace's /proc readlink would);
 * - pipes `pipe:[ino]`; anonymous inodes (`anon_inode:[eventfd]`, `[eventpoll]`, `[signalfd]`,
 *   `[timerfd]`, `[userfaultfd]`, `[pidfd]`, `[io_uring]`, `anon_inode:inotify`); memfds
 *   `/memfd:NAME` (deleted);
 * - TCP and UDP sockets once connected, accepted or bound to a port (`TCP:[a:p->b:p]`,
 *   `TCPv6:[[a]:p->[b]:p]`, `UDP:[a:p]`); never-bound sockets (strace prints the inode, which
 *   the capture lacks), unix and netlink sockets stay undecorated;
 * - descriptors of the fd list block as libscap read them from /proc (files, directories, fifos,
 *   anonymous inodes, listening TCP/UDP sockets); connected sockets there stay undecorated (the
 *   block does not say which end is local).
 */
import type { DecodedParam } from "./decoded-param.ts";
import { ppmToKernel } from "./ppm-flags.ts";
import type { ThreadInfo } from "./proclist.ts";

/** One open descriptor. */
interface Fd {
  /** -yy decoration, or null when the capture does not say it exactly. */
  text: string | null;
  deleted: boolean;
  /** closed by a successful execve (O_CLOEXEC and kin); false when unknown. */
  cloexec: boolean;
  /** socket protocol name (TCP, UDP, TCPv6, UDPv6) when it is one of those. */
  proto: string | null;
}

/** The descriptors and working directory of one process (shared by its threads). */
interface Proc {
  fds: Map<number, Fd>;
  cwd: string | null;
}

const AT_FDCWD = -100;
const ANON: Readonly<Record<string, string>> = {
  eventfd: "anon_inode:[eventfd]",
  eventfd2: "anon_inode:[eventfd]",
  signalfd: "anon_inode:[signalfd]",
  signalfd4: "anon_inode:[signalfd]",
  timerfd_create: "anon_inode:[timerfd]",
  inotify_init: "anon_inode:inotify",
  inotify_init1: "anon_inode:inotify",
  epoll_create: "anon_inode:[eventpoll]",
  epoll_create1: "anon_inode:[eventpoll]",
  userfaultfd: "anon_inode:[userfaultfd]",
  pidfd_open: "anon_inode:[pidfd]",
  io_uring_setup: "anon_inode:[io_uring]",
};
const OPENS = new Set(["open", "openat", "openat2", "creat"]);
const SPAWNS = new Set(["clone", "clone3", "fork", "vfork"]);

/** The calls whose parameters `apply` reads (for any other it needs none). */
export const FD_CALLS: ReadonlySet<string> = new Set([
  ...OPENS,
  ...Object.keys(ANON),
  ...SPAWNS,
  ...["close", "memfd_create", "pipe", "pipe2", "socket", "socketpair", "connect", "bind"],
  ...["accept", "accept4", "dup", "dup2", "dup3", "fcntl", "chdir", "fchdir", "execve", "execveat"],
]);

/**
 * true when `apply` of call `name` with return value `ret` (not null) may change the table (else
 * it returns -1 before reading any parameter): a successful call, or a non-blocking connect in progress
 * (EINPROGRESS), which already has its addresses.
 */
export function appliesTo(name: string, ret: number): boolean {
  return ret >= 0 || (name === "connect" && ret === -115);
}

/** Every parameter name `apply` looks up (callers may leave the others out). */
export const FD_PARAMS: ReadonlySet<string> = new Set(
  ["addr", "cmd", "cwd", "dirfd", "domain", "fd", "fd1", "fd2", "flags", "ino", "name", "oldfd"].concat([
    "path",
    "ptid",
    "tuple",
    "type",
  ]),
);

function param(params: readonly DecodedParam[], name: string): DecodedParam | undefined {
  for (const p of params) if (p.info.name === name) return p;
  return undefined;
}

function int(p: DecodedParam | undefined): number | null {
  return p !== undefined && typeof p.int === "number" ? p.int : null;
}

/** Flag name lists by their `|` text (few distinct values; split once). */
const SPLIT = new Map<string, readonly string[]>();

/** The PPM flag names of parameter `p` (`O_RDONLY|O_CLOEXEC` → both). */
function flagNames(p: DecodedParam | undefined): readonly string[] {
  if (p === undefined || typeof p.int !== "number" || p.info.info === undefined) return [];
  const names = ppmToKernel(p.info.info, p.int).names;
  let split = SPLIT.get(names);
  if (split === undefined) SPLIT.set(names, (split = names.split("|")));
  return split;
}

/** `/a/./b/../c` → `/a/c`; null when `path` is not absolute. */
export function normalizePath(path: string): string | null {
  if (!path.startsWith("/")) return null;
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/** normalizePath's results for recent paths (captures open the same paths again and again). */
const NORMAL = new Map<string, string | null>();

function normalized(path: string): string | null {
  let r = NORMAL.get(path);
  if (r === undefined) {
    if (NORMAL.size >= 8192) NORMAL.clear(); // bounded: a capture may open millions of distinct paths
    NORMAL.set(path, (r = normalizePath(path)));
  }
  return r;
}

function join(dir: string | null, path: string): string | null {
  if (path.startsWith("/")) return normalized(path);
  return dir === null || !dir.startsWith("/") ? null : normalized(`${dir}/${path}`);
}

/** An address of sysdig's text (`1.2.3.4:80`, `::1:80`) as strace prints it (`[::1]:80` for v6). */
function endpoint(text: string, v6: boolean): string | null {
  const colon = text.lastIndexOf(":");
  if (colon <= 0) return null;
  const addr = text.slice(0, colon);
  const port = text.slice(colon + 1);
  if (!/^\d+$/.test(port)) return null;
  if (!v6) return `${addr}:${port}`;
  // sysdig prints IPv4-mapped IPv6 addresses as dotted quads; inet_ntop writes ::ffff:a.b.c.d
  return `[${addr.includes(":") ? addr : `::ffff:${addr}`}]:${port}`;
}

/** strace's `TCP:[local->remote]` from a sysdig tuple text; `swap` when sysdig's source is the peer. */
function tupleText(proto: string, tuple: string, swap: boolean): string | null {
  const arrow = tuple.indexOf("->");
  if (arrow < 0) return null;
  const v6 = proto.endsWith("v6");
  const a = endpoint(tuple.slice(0, arrow), v6);
  const b = endpoint(tuple.slice(arrow + 2), v6);
  if (a === null || b === null) return null;
  return `${proto}:[${swap ? b : a}->${swap ? a : b}]`;
}

/** TCP/UDP(v6) for an inet socket of `family` (2, 10) and `type` (SOCK_STREAM 1, SOCK_DGRAM 2). */
function protoOf(family: number, type: number): string | null {
  const base = (type & 0xf) === 1 ? "TCP" : (type & 0xf) === 2 ? "UDP" : null;
  if (base === null) return null;
  return family === 2 ? base : family === 10 ? `${base}v6` : null;
}

/**
 * Sets descriptor `fd` of `p`; returns `fd`. A function, not a closure per call: tsx (keepNames)
 * gives each named closure a defineProperty that cost 8 % of building scap rows.
 */
function put(p: Proc, fd: number, f: Partial<Fd>): number {
  p.fds.set(fd, { text: null, deleted: false, cloexec: false, proto: null, ...f });
  return fd;
}

/** The fd tables of one capture. */
export class FdTables {
  private readonly procs = new Map<number, Proc>();
  /** children whose table a clone/fork exit event has given. */
  private readonly spawned = new Set<number>();

  constructor(private readonly threads: ReadonlyMap<number, ThreadInfo>) {}

  private of(tid: number): Proc {
    let p = this.procs.get(tid);
    if (p !== undefined) return p;
    const pid = this.threads.get(tid)?.pid ?? tid;
    p = this.procs.get(pid);
    if (p === undefined) {
      p = { fds: new Map(), cwd: this.threads.get(pid)?.cwd ?? null };
      this.procs.set(pid, p);
    }
    this.procs.set(tid, p);
    return p;
  }

  /** Adds a descriptor of process `pid` from an fd list block. */
  listed(pid: number, fd: number, text: string | null, cloexec: boolean): void {
    let deleted = false;
    if (text !== null && text.endsWith(" (deleted)")) {
      text = text.slice(0, -" (deleted)".length);
      deleted = true;
    }
    this.of(pid).fds.set(fd, { text: text === "" ? null : text, deleted, cloexec, proto: null });
  }

  /** The decoration of descriptor `fd` of thread `tid` (AT_FDCWD for a dirfd: the cwd), or null. */
  lookup(tid: number, fd: number, dirfd: boolean): { text: string; deleted: boolean } | null {
    const f = this.find(tid, fd, dirfd);
    return f === null ? null : { text: f.text, deleted: f.deleted };
  }

  /** lookup without a copy: the descriptor itself, read-only (the row builder asks for every row). */
  find(tid: number, fd: number, dirfd: boolean): { readonly text: string; readonly deleted: boolean } | null {
    const p = this.of(tid);
    if (fd === AT_FDCWD && dirfd) return p.cwd === null ? null : { text: p.cwd, deleted: false };
    const f = p.fds.get(fd);
    return f === undefined || f.text === null
      ? null
      : (f as { readonly text: string; readonly deleted: boolean });
  }

  /**
   * Applies a finished call `name` of thread `tid` (parameters of both events, return value);
   * returns the descriptor the call created (for `ret_path`), or -1.
   */
  apply(tid: number, name: string, params: readonly DecodedParam[], ret: number | null): number {
    if (ret === null || !appliesTo(name, ret)) return -1;
    const p = this.of(tid);
    if (!FD_CALLS.has(name)) return -1; // most calls: no descriptor made or changed
    if (OPENS.has(name)) {
      const path = param(params, "name")?.str ?? null;
      const dirfd = int(param(params, "dirfd"));
      let dir = p.cwd;
      if (dirfd !== null && dirfd !== AT_FDCWD) dir = p.fds.get(dirfd)?.text ?? null;
      const cloexec = flagNames(param(params, "flags")).includes("O_CLOEXEC");
      return put(p, ret, { text: path === null ? null : join(dir, path), cloexec });
    }
    const anon = ANON[name];
    if (anon !== undefined)
      return put(p, ret, {
        text: anon,
        cloexec: flagNames(param(params, "flags")).some((n) => n.endsWith("CLOEXEC")),
      });
    switch (name) {
      case "close":
        p.fds.delete(int(param(params, "fd")) ?? -1);
        return -1;
      case "memfd_create": {
        const n = param(params, "name")?.str;
        const cloexec = flagNames(param(params, "flags")).includes("MFD_CLOEXEC");
        return put(p, ret, {
          text: n === undefined || n === null ? null : `/memfd:${n}`,
          deleted: true,
          cloexec,
        });
      }
      case "pipe":
      case "pipe2": {
        const ino = param(params, "ino")?.int;
        const text = ino === undefined || ino === null ? null : `pipe:[${ino}]`;
        const cloexec = flagNames(param(params, "flags")).includes("O_CLOEXEC");
        for (const k of ["fd1", "fd2"]) {
          const fd = int(param(params, k));
          if (fd !== null && fd >= 0) put(p, fd, { text, cloexec });
        }
        return -1;
      }
      case "socket": {
        const family = int(param(params, "domain")) ?? -1;
        const type = int(param(params, "type")) ?? 0;
        return put(p, ret, { proto: protoOf(family, type), cloexec: (type & 0x80000) !== 0 });
      }
      case "socketpair":
        for (const k of ["fd1", "fd2"]) {
          const fd = int(param(params, k));
          if (fd !== null && fd >= 0) put(p, fd, {});
        }
        return -1;
      case "connect":
      case "bind": {
        const f = p.fds.get(int(param(params, "fd")) ?? -1);
        if (f === undefined || f.proto === null) return -1;
        if (name === "connect") {
          const t = param(params, "tuple")?.text;
          if (t !== undefined) f.text = tupleText(f.proto, t, false);
        } else {
          const a = param(params, "addr")?.text ?? "";
          const e = endpoint(a, f.proto.endsWith("v6"));
          if (e !== null && !e.endsWith(":0")) f.text = `${f.proto}:[${e}]`;
        }
        return -1;
      }
      case "accept":
      case "accept4": {
        const t = param(params, "tuple");
        const v6 = t?.family === 10;
        const proto = t?.family === 2 || v6 ? (v6 ? "TCPv6" : "TCP") : null;
        const text = proto === null || t === undefined ? null : tupleText(proto, t.text, true);
        const flags = int(param(params, "flags")) ?? 0;
        return put(p, ret, { text, proto, cloexec: (flags & 0x80000) !== 0 });
      }
      case "dup":
      case "dup2":
      case "dup3":
      case "fcntl": {
        if (name === "fcntl" && !flagNames(param(params, "cmd")).some((n) => n.startsWith("F_DUPFD")))
          return -1;
        const old = int(param(params, "oldfd")) ?? int(param(params, "fd"));
        const src = old === null ? undefined : p.fds.get(old);
        const cloexec =
          flagNames(param(params, "flags")).includes("O_CLOEXEC") ||
          flagNames(param(params, "cmd")).includes("F_DUPFD_CLOEXEC");
        return src === undefined ? put(p, ret, {}) : put(p, ret, { ...src, cloexec });
      }
      case "chdir": {
        const path = param(params, "path")?.str;
        if (path !== undefined && path !== null) p.cwd = join(p.cwd, path);
        return -1;
      }
      case "fchdir": {
        const f = p.fds.get(int(param(params, "fd")) ?? -1);
        p.cwd = f?.text?.startsWith("/") ? f.text : null;
        return -1;
      }
      case "execve":
      case "execveat":
        if (ret !== 0) return -1;
        for (const [fd, f] of p.fds) if (f.cloexec) p.fds.delete(fd);
        this.setCwd(p, param(params, "cwd")?.str);
        return -1;
    }
    if (SPAWNS.has(name)) this.spawn(tid, ret, params);
    return -1;
  }

  private setCwd(p: Proc, cwd: string | null | undefined): void {
    if (cwd !== undefined && cwd !== null && cwd.startsWith("/")) p.cwd = normalizePath(cwd);
  }

  /**
   * A clone/fork seen from the parent (ret = child) or the child (ret = 0): whichever comes first
   * gives the child the parent's table (CLONE_FILES) or a copy of it.
   */
  private spawn(tid: number, ret: number, params: readonly DecodedParam[]): void {
    const child = ret > 0 ? ret : tid;
    const parent = ret > 0 ? tid : int(param(params, "ptid"));
    if (parent === null || parent === child || this.spawned.has(child)) return;
    this.spawned.add(child);
    const from = this.of(parent);
    const shared = flagNames(param(params, "flags")).includes("CLONE_FILES");
    const p = shared ? from : { fds: new Map([...from.fds].map(([k, v]) => [k, { ...v }])), cwd: from.cwd };
    if (!shared) this.setCwd(p, param(params, "cwd")?.str);
    this.procs.set(child, p);
  }
}
