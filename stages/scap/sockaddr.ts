/**
 * Renders SOCKADDR and SOCKTUPLE parameters the way sysdig prints them (`1.2.3.4:80`,
 * `1.2.3.4:5->6.7.8.9:80`, `::1:80`, unix paths), and returns the socket family byte.
 */

function ipv4(b: Buffer, p: number): string {
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

function ipv6(b: Buffer, p: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(p + i).toString(16));
  // IPv4-mapped addresses print as dotted quads, as sysdig does
  if (groups.slice(0, 5).every((g) => g === "0") && groups[5] === "ffff") return ipv4(b, p + 12);
  const s = groups.join(":");
  const runs = [...s.matchAll(/(?:^|:)0(?::0)+(?::|$)/g)].sort((a, b2) => b2[0].length - a[0].length);
  return runs[0] ? s.replace(runs[0][0], "::") : s;
}

function unixPath(b: Buffer, p: number, end: number): string {
  let e = p;
  while (e < end && b[e] !== 0) e++;
  return b.toString("utf8", p, e);
}

/** `family` of an address parameter, or -1 when empty. */
export function addrFamily(b: Buffer, start: number, len: number): number {
  return len > 0 ? b[start]! : -1;
}

/** A SOCKADDR parameter as text. */
export function sockaddrText(b: Buffer, start: number, len: number): string {
  const end = start + len;
  const fam = b[start];
  if (fam === 2 && len >= 7) return `${ipv4(b, start + 1)}:${b.readUInt16LE(start + 5)}`;
  if (fam === 10 && len >= 19) return `${ipv6(b, start + 1)}:${b.readUInt16LE(start + 17)}`;
  if (fam === 1) return unixPath(b, start + 1, end);
  return "";
}

/** A SOCKTUPLE parameter as text. */
export function socktupleText(b: Buffer, start: number, len: number): string {
  const end = start + len;
  const fam = b[start];
  const s = start + 1;
  if (fam === 2 && len >= 13)
    return `${ipv4(b, s)}:${b.readUInt16LE(s + 4)}->${ipv4(b, s + 6)}:${b.readUInt16LE(s + 10)}`;
  if (fam === 10 && len >= 37)
    return `${ipv6(b, s)}:${b.readUInt16LE(s + 16)}->${ipv6(b, s + 18)}:${b.readUInt16LE(s + 34)}`;
  if (fam === 1 && len >= 17)
    return `${b.readBigUInt64LE(s).toString(16)}->${b.readBigUInt64LE(s + 8).toString(16)} ${unixPath(b, s + 16, end)}`;
  return "";
}
