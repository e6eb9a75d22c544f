/**
 * One event as sysdig printed it, from its text (`-p` default or `-pc`) or `-j` JSON output.
 */

/** A printed event. */
export interface SysdigRecord {
  /** 1-based line of the output where the event starts. */
  line: number;
  /** the event's text as read (its lines, joined by newlines). */
  raw: string;
  num: number;
  /** ns since the epoch (JSON `evt.outputtime`, exact as BigInt), or null for text. */
  ts: bigint | null;
  /** ns since midnight (text `%evt.outputtime`), or null for JSON. */
  tod: bigint | null;
  cpu: number;
  tid: number;
  dir: string;
  type: string;
  info: string;
  /** proc.name, "" when sysdig printed <NA>. */
  proc: string;
  /** container.id of `-pc` output ("host" for host processes), or null. */
  containerId: string | null;
  /** proc.pid when the format prints it, else null. */
  pid?: number | null;
}

const TOD = /^(\d\d):(\d\d):(\d\d)\.(\d{9})$/;

/** ns since midnight of `HH:MM:SS.nnnnnnnnn`. */
export function todNs(s: string): bigint {
  const m = TOD.exec(s)!;
  return BigInt(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000000000n + BigInt(m[4]!);
}

/** proc.name as printed, with sysdig's <NA> as "". */
export function procName(s: unknown): string {
  return typeof s === "string" && s !== "<NA>" ? s : "";
}
