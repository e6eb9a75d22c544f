/**
 * Decodes a call's argument text into the events columns: kernel values per argument (in kernel
 * argument order), path arguments, the first fd decoration, the socket family and unknown symbols.
 */
import { argSpecs, type ArgSpec } from "../../schemas/consts.ts";
import { MAX_ARGS } from "../../schemas/events.ts";
import type { EventBatch } from "../columns/event-batch.ts";
import { decodeScalar, type ValueOut } from "./decode-value.ts";
import { plainNumber } from "./numbers.ts";
import { DELETED_MARK, skipDecoration, splitArgs } from "./split-args.ts";
import { unescapeString } from "./unescape.ts";

/** strace prints clone's arguments by name and not in kernel order (x86_64: flags first). */
export const CLONE_NAMED: Readonly<Record<string, number>> = {
  flags: 0,
  child_stack: 1,
  stack: 1,
  parent_tid: 2,
  parent_tidptr: 2,
  child_tidptr: 3,
  child_tid: 3,
  tls: 4,
};

/** 32-bit x86 clone takes (flags, newsp, parent_tid, tls, child_tid): CLONE_BACKWARDS. */
export const CLONE_NAMED_I386: Readonly<Record<string, number>> = {
  ...CLONE_NAMED,
  tls: 3,
  child_tidptr: 4,
  child_tid: 4,
};

/**
 * strace omits unused futex arguments: for FUTEX_WAIT_BITSET / FUTEX_WAKE_BITSET it prints
 * (uaddr, op, val, timeout, val3), leaving out uaddr2, so its fifth printed value is argument 5.
 */
export function futexPosition(k: number, op: number | bigint | null): number {
  if (k !== 4 || typeof op !== "number") return k;
  const cmd = op & 127;
  return cmd === 9 || cmd === 10 ? 5 : k;
}

/** The family of a sockaddr argument (`{sa_family=AF_INET, …}`). */
export const SA_FAMILY = /sa_family=(AF_[A-Z0-9_]+|\d+)/;

/** indexOf limited to [a, b): strings can be long, arguments before them are short. */
function indexIn(s: string, ch: number, a: number, b: number): number {
  for (let i = a; i < b; i++) if (s.charCodeAt(i) === ch) return i;
  return -1;
}

/** A string value: latin1 text as read (valid UTF-8 bytes) or an unescaped JS string. */
interface Str {
  text: string;
  latin1: boolean;
}

function strOf(raw: string): Str {
  return raw.indexOf("\\") < 0 ? { text: raw, latin1: true } : { text: unescapeString(raw), latin1: false };
}

const bounds: number[] = [];
const marks: number[] = [];
const specCache = new Map<string, readonly ArgSpec[] | null>();
const value: ValueOut = { ok: false, value: 0, big: null, unknown: null };
const argVals: (number | bigint | null)[] = new Array(MAX_ARGS).fill(null);

/**
 * Pushes arg0…arg5, path, path2, fd_path, fd_deleted, sa_family and unknown_syms for one event.
 * `s.slice(start, end)` is the argument text.
 */
export function decodeArgs(
  syscall: string,
  s: string,
  start: number,
  end: number,
  batch: EventBatch,
  row: number,
  arch: string,
  src: Buffer | null = null,
  srcBase = 0,
): void {
  splitArgs(s, start, end, bounds, marks);
  const key = arch === "i386" ? "i386:" + syscall : syscall;
  let specs = specCache.get(key);
  if (specs === undefined) {
    specs = argSpecs(syscall, arch) ?? null;
    specCache.set(key, specs);
  }
  const named = syscall === "clone";
  const namedPos = arch === "i386" ? CLONE_NAMED_I386 : CLONE_NAMED;
  for (let k = 0; k < MAX_ARGS; k++) argVals[k] = null;
  let path: Str | null = null;
  let path2: Str | null = null;
  let fdStart = -1;
  let fdEnd = -1;
  let fdDeleted = false;
  let family: number | null = null;
  let unknown: string[] | null = null;
  const nArgs = bounds.length >> 1;
  for (let k = 0; k < nArgs; k++) {
    let a = bounds[2 * k]!;
    let b = bounds[2 * k + 1]!;
    let pos = k;
    if (named) {
      const eq = indexIn(s, 61, a, b);
      if (eq > a && eq < b && /^[a-z_]+$/.test(s.slice(a, eq))) {
        pos = namedPos[s.slice(a, eq)] ?? k;
        a = eq + 1;
      }
    }
    if (syscall === "futex") pos = futexPosition(k, argVals[1] ?? null);
    const spec = specs?.[pos];
    const c = s.charCodeAt(a);
    if (c === 34 /* " */) {
      if (spec?.kind === "path") {
        const q = s.lastIndexOf('"', b - 1);
        const text = strOf(s.slice(a + 1, q > a ? q : b));
        if (path === null) path = text;
        else if (path2 === null) path2 = text;
      }
      continue;
    }
    if (c === 123 || c === 91 /* { [ */) {
      const text = s.slice(a, b);
      const m = SA_FAMILY.exec(text);
      if (m) {
        decodeScalar(m[1]!, "socket_domain", value);
        if (value.ok) family = value.value;
      }
      continue;
    }
    // strip a `/* comment */` (-X verbose) and split off a `<decoration>` (-y)
    const lt = marks[2 * k]!;
    if (lt >= 0) {
      const close = skipDecoration(s, lt, b);
      if (fdStart < 0) {
        fdStart = lt + 1;
        fdEnd = close - 1;
        fdDeleted = s.startsWith(" (deleted)", close) || s.startsWith(DELETED_MARK, close);
      }
      b = lt;
    }
    const comment = marks[2 * k + 1]!;
    if (pos >= MAX_ARGS) continue;
    // -X verbose comments each term: `0x4100 /* CLONE_VM|CLONE_VFORK */|17 /* SIGCHLD */`
    const text =
      comment > a && comment < b
        ? s
            .slice(a, b)
            .replace(/\s*\/\*.*?\*\//g, "")
            .trim()
        : null;
    const direct = text === null ? plainNumber(s, a, b) : NaN;
    if (direct === direct) {
      argVals[pos] = direct;
      continue;
    }
    decodeScalar(text ?? s.slice(a, b), spec?.table, value);
    if (value.ok) argVals[pos] = value.big ?? value.value;
    else if (value.unknown) (unknown ??= []).push(...value.unknown);
  }
  for (let k = 0; k < MAX_ARGS; k++) {
    const v = argVals[k];
    if (v !== null && v !== undefined) batch.args[k]!.set(row, v);
  }
  setStr(batch.path, row, path);
  setStr(batch.path2, row, path2);
  if (fdStart >= 0) {
    // copied straight from the input bytes when the text is a line of it (no string per row)
    if (src !== null) batch.fd_path.setBytes(row, src, srcBase + fdStart, srcBase + fdEnd);
    else batch.fd_path.setLatin1(row, s.slice(fdStart, fdEnd));
  }
  if (fdDeleted) batch.fd_deleted.set(row);
  if (family !== null) batch.sa_family.set(row, family);
  if (unknown) batch.unknown_syms.setLatin1(row, unknown.join("|"));
}

function setStr(b: EventBatch["path"], row: number, v: Str | null): void {
  if (v === null) return;
  if (v.latin1) b.setLatin1(row, v.text);
  else b.setString(row, v.text);
}
