/**
 * Reads the entries of an fd list block (libscap scap_read_fdlist / scap_fd_read_from_disk): per
 * process, each descriptor's number, type and what libscap read from /proc for it. Entries are
 * handed to `sink` with their strace `-yy` text when the block states it exactly (see
 * fd-table.ts), else null.
 */

/** Receives one descriptor of process `pid`. */
export type FdListSink = (pid: number, fd: number, text: string | null, cloexec: boolean) => void;

/** scap_fd_type values whose name is /proc's readlink text (files, fifos, anonymous inodes). */
const NAMED = new Set([1, 2, 7, 9, 11, 12, 13, 14, 17, 18, 19, 20, 21]);
const IPV4_SOCK = 3;
const IPV6_SOCK = 4;
const IPV4_SERVSOCK = 5;
const IPV6_SERVSOCK = 6;
const UNIX_SOCK = 8;
const UNSUPPORTED = 10;
const NETLINK = 15;
const FILE_V2 = 16;
/** PPM_O_CLOEXEC in a FILE_V2 entry's open flags (libscap converts /proc's flags to PPM). */
const PPM_O_CLOEXEC = 1 << 12;
const L4: Readonly<Record<number, string>> = { 2: "TCP", 3: "UDP" };

function ipv4(b: Buffer, p: number): string {
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

function ipv6(b: Buffer, p: number): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(p + i).toString(16));
  if (g.slice(0, 5).every((x) => x === "0") && g[5] === "ffff") return `::ffff:${ipv4(b, p + 12)}`;
  const s = g.join(":");
  const runs = [...s.matchAll(/(?:^|:)0(?::0)+(?::|$)/g)].sort((x, y) => y[0].length - x[0].length);
  return runs[0] ? s.replace(runs[0][0], "::") : s;
}

/**
 * Parses the fd list block body buf[start, end) (`v2`: entries carry their length). Returns false
 * when an entry runs past the block, is shorter than its own fields (v2) or has a type this reader
 * cannot size (the rest is skipped).
 */
export function readFdlist(buf: Buffer, start: number, end: number, v2: boolean, sink: FdListSink): boolean {
  if (end - start < 8) return false;
  const pid = Number(buf.readBigInt64LE(start));
  let p = start + 8;
  const str = (): string => {
    const n = buf.readUInt16LE(p);
    const s = buf.toString("utf8", p + 2, p + 2 + n);
    p += 2 + n;
    return s;
  };
  try {
    while (end - p >= 4) {
      const entry = p;
      const len = v2 ? buf.readUInt32LE(p) : 0;
      if (v2) p += 4;
      const fd = Number(buf.readBigInt64LE(p));
      const type = buf[p + 16]!;
      p += 17;
      let text: string | null = null;
      let cloexec = false;
      if (NAMED.has(type)) text = str();
      else if (type === FILE_V2) {
        cloexec = (buf.readUInt32LE(p) & PPM_O_CLOEXEC) !== 0;
        p += 4;
        text = str();
      } else if (type === IPV4_SOCK) p += 13;
      else if (type === IPV6_SOCK) p += 37;
      else if (type === IPV4_SERVSOCK) {
        const l4 = L4[buf[p + 6]!];
        if (l4) text = `${l4}:[${ipv4(buf, p)}:${buf.readUInt16LE(p + 4)}]`;
        p += 7;
      } else if (type === IPV6_SERVSOCK) {
        const l4 = L4[buf[p + 18]!];
        if (l4) text = `${l4}v6:[[${ipv6(buf, p)}]:${buf.readUInt16LE(p + 16)}]`;
        p += 19;
      } else if (type === UNIX_SOCK) {
        p += 16;
        str();
      } else if (type === UNSUPPORTED || type === NETLINK) {
        const name = str();
        if (name.startsWith("anon_inode:")) text = name;
      } else if (!v2) return false;
      // an entry shorter than what it holds (0 above all) would never move on: damaged
      if (v2 && entry + len < p) return false;
      if (v2) p = entry + len;
      if (p > end) return false;
      sink(pid, fd, text === "" ? null : text, cloexec);
    }
  } catch {
    return false;
  }
  return true;
}
