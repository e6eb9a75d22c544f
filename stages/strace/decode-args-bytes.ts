/**
 * `decodeArgs` (decode-args.ts) on the bytes of a piece: the same columns from the same rules,
 * without a string per line. Strings are made only for what needs one: a symbolic scalar (once per
 * distinct text, cached), an escaped path, a sockaddr's family, clone's argument names and `-X
 * verbose` comments.
 */
import { argSpecs, type ArgSpec } from "../../schemas/consts.ts";
import type { ConstTableName } from "../../schemas/generated/consts.ts";
import { MAX_ARGS } from "../../schemas/events.ts";
import type { EventBatch } from "../columns/event-batch.ts";
import { bytesAre, latin1, plainNumberAt } from "./bytes.ts";
import { CLONE_NAMED, CLONE_NAMED_I386, futexPosition, SA_FAMILY } from "./decode-args.ts";
import { decodeScalar, type ValueOut } from "./decode-value.ts";
import { argEnd, skipDecorationBytes, type ArgMarks } from "./split-bytes.ts";
import { unescapeString } from "./unescape.ts";

const specCache = new Map<string, readonly ArgSpec[] | null>();
const value: ValueOut = { ok: false, value: 0, big: null, unknown: null };
const argVals: (number | bigint | null)[] = new Array(MAX_ARGS).fill(null);

/** A decoded scalar text: its value, or the unknown symbols it named. */
interface Scalar {
  text: string;
  table: ConstTableName | undefined;
  value: number | bigint | null;
  unknown: readonly string[] | null;
}

/** Decoded scalar texts by their bytes (flag sets and symbols repeat from line to line). */
const SCALAR_SLOTS = 1024;
const scalars: (Scalar | undefined)[] = new Array(SCALAR_SLOTS);
const MAX_CACHED = 96;

function scalarAt(buf: Uint8Array, a: number, b: number, table: ConstTableName | undefined): Scalar {
  const len = b - a;
  let slot = -1;
  if (len <= MAX_CACHED) {
    let h = len;
    for (let i = a; i < b; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
    slot = (h ^ (h >>> 13)) & (SCALAR_SLOTS - 1);
    const c = scalars[slot];
    if (c !== undefined && c.table === table && c.text.length === len) {
      const t = c.text;
      let i = 0;
      while (i < len && t.charCodeAt(i) === buf[a + i]) i++;
      if (i === len) return c;
    }
  }
  const text = latin1(buf, a, b);
  decodeScalar(text, table, value);
  const s: Scalar = {
    text,
    table,
    value: value.ok ? (value.big ?? value.value) : null,
    unknown: value.ok ? null : value.unknown,
  };
  if (slot >= 0) scalars[slot] = s;
  return s;
}

/** The argument specs of a syscall, looked up once per name (and i386). */
function specsOf(syscall: string, arch: string): readonly ArgSpec[] | null {
  const key = arch === "i386" ? "i386:" + syscall : syscall;
  let specs = specCache.get(key);
  if (specs === undefined) {
    specs = argSpecs(syscall, arch) ?? null;
    specCache.set(key, specs);
  }
  return specs;
}

const LOWER_NAME = /^[a-z_]+$/;

/** What argEnd found in the argument being decoded. */
const found: ArgMarks = { deco: -1, decoClose: -1, comment: -1 };

/** Per-call state of decodeArgsBytes, reset for each call. */
let pathA = -1;
let pathB = -1;
let path2A = -1;
let path2B = -1;
let fdStart = -1;
let fdEnd = -1;
let fdDeleted = false;
let family: number | null = null;
let unknown: string[] | null = null;

/**
 * Sets arg0…arg5, path, path2, fd_path, fd_deleted, sa_family and unknown_syms of row `row` from
 * the argument bytes [start, end) of `buf`: each top-level argument is found and decoded in one
 * scan (decodeArgs splits first, then decodes; the columns are the same).
 */
export function decodeArgsBytes(
  syscall: string,
  buf: Uint8Array,
  start: number,
  end: number,
  batch: EventBatch,
  row: number,
  arch: string,
): void {
  const specs = specsOf(syscall, arch);
  const named = syscall === "clone";
  const futex = syscall === "futex";
  for (let k = 0; k < MAX_ARGS; k++) argVals[k] = null;
  pathA = pathB = path2A = path2B = fdStart = fdEnd = -1;
  fdDeleted = false;
  family = null;
  unknown = null;
  let k = 0;
  for (let i = start; ;) {
    const comma = argEnd(buf, i, end, found);
    let a = i;
    let b = comma;
    while (a < b && buf[a] === 32) a++;
    while (b > a && buf[b - 1] === 32) b--;
    // an empty first argument is no argument (splitArgs keeps empty ones after the first)
    if (b > a || k > 0) decodeOne(k++, a, b, specs, named, futex, buf, arch);
    if (comma >= end) break;
    i = comma + 1;
  }
  for (let j = 0; j < MAX_ARGS; j++) {
    const v = argVals[j];
    if (v !== null && v !== undefined) batch.args[j]!.set(row, v);
  }
  if (pathA >= 0) setPath(batch.path, row, buf, pathA, pathB);
  if (path2A >= 0) setPath(batch.path2, row, buf, path2A, path2B);
  if (fdStart >= 0) batch.fd_path.setBytes(row, buf, fdStart, fdEnd);
  if (fdDeleted) batch.fd_deleted.set(row);
  if (family !== null) batch.sa_family.set(row, family);
  if (unknown) batch.unknown_syms.setLatin1(row, unknown.join("|"));
}

/** Decodes top-level argument `k`, trimmed to [a, b); `found` holds what argEnd saw in it. */
function decodeOne(
  k: number,
  a: number,
  b: number,
  specs: readonly ArgSpec[] | null,
  named: boolean,
  futex: boolean,
  buf: Uint8Array,
  arch: string,
): void {
  let pos = k;
  if (named) {
    let eq = -1;
    for (let i = a; i < b; i++) {
      if (buf[i] === 61) {
        eq = i;
        break;
      }
    }
    if (eq > a && eq < b) {
      const argName = latin1(buf, a, eq);
      if (LOWER_NAME.test(argName)) {
        pos = (arch === "i386" ? CLONE_NAMED_I386 : CLONE_NAMED)[argName] ?? k;
        a = eq + 1;
      }
    }
  }
  if (futex) pos = futexPosition(k, argVals[1] ?? null);
  const spec = specs?.[pos];
  const c = buf[a];
  if (c === 34 /* " */) {
    if (spec?.kind === "path") {
      let q = b - 1;
      while (q >= a && buf[q] !== 34) q--;
      const to = q > a ? q : b;
      if (pathA < 0) {
        pathA = a + 1;
        pathB = to;
      } else if (path2A < 0) {
        path2A = a + 1;
        path2B = to;
      }
    }
    return;
  }
  if (c === 123 || c === 91 /* { [ */) {
    if (hasFamily(buf, a, b)) {
      const m = SA_FAMILY.exec(latin1(buf, a, b));
      if (m) {
        decodeScalar(m[1]!, "socket_domain", value);
        if (value.ok) family = value.value;
      }
    }
    return;
  }
  // split off a `<decoration>` (-y) and strip `/* comments */` (-X verbose)
  const lt = found.deco;
  if (lt >= 0) {
    // where decodeArgs finds it: in [lt, b) (the scan's answer, unless it ran past b unclosed)
    const close = found.decoClose <= b ? found.decoClose : skipDecorationBytes(buf, lt, b);
    if (fdStart < 0) {
      fdStart = lt + 1;
      fdEnd = close - 1;
      fdDeleted = bytesAre(buf, close, Infinity, " (deleted)") || bytesAre(buf, close, Infinity, "(deleted)");
    }
    b = lt;
  }
  const comment = found.comment;
  if (pos >= MAX_ARGS) return;
  if (comment > a && comment < b) {
    // -X verbose comments each term: `0x4100 /* CLONE_VM|CLONE_VFORK */|17 /* SIGCHLD */`
    const text = latin1(buf, a, b)
      .replace(/\s*\/\*.*?\*\//g, "")
      .trim();
    decodeScalar(text, spec?.table, value);
    if (value.ok) argVals[pos] = value.big ?? value.value;
    else if (value.unknown) (unknown ??= []).push(...value.unknown);
    return;
  }
  const direct = plainNumberAt(buf, a, b);
  if (direct === direct) {
    argVals[pos] = direct;
    return;
  }
  const s = scalarAt(buf, a, b, spec?.table);
  if (s.value !== null) argVals[pos] = s.value;
  else if (s.unknown) (unknown ??= []).push(...s.unknown);
}

/** A path argument: its bytes as they are, or unescaped when strace escaped something. */
function setPath(col: EventBatch["path"], row: number, buf: Uint8Array, a: number, b: number): void {
  for (let i = a; i < b; i++) {
    if (buf[i] === 92 /* \ */) {
      col.setString(row, unescapeString(latin1(buf, a, b)));
      return;
    }
  }
  col.setBytes(row, buf as Buffer, a, b);
}

/** `sa_family=` occurs in bytes [a, b). */
function hasFamily(buf: Uint8Array, a: number, b: number): boolean {
  for (let i = a; i + 10 <= b; i++)
    if (buf[i] === 115 /* s */ && bytesAre(buf, i, b, "sa_family=")) return true;
  return false;
}
