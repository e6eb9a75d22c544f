/**
 * Decodes a call's argument text into the events columns: kernel values per argument (in kernel
 * argument order), path arguments, the first fd decoration, the socket family and unknown symbols.
 */
import { argSpecs } from "../../schemas/consts.ts";
import { MAX_ARGS } from "../../schemas/events.ts";
import type { EventBatch } from "../columns/event-batch.ts";
import { decodeScalar, type ValueOut } from "./decode-value.ts";
import { skipDecoration, splitArgs } from "./split-args.ts";
import { fromLatin1, unescapeString } from "./unescape.ts";

/** strace prints clone's arguments by name and not in kernel order (x86_64: flags first). */
const CLONE_NAMED: Readonly<Record<string, number>> = {
  flags: 0,
  child_stack: 1,
  stack: 1,
  parent_tid: 2,
  parent_tidptr: 2,
  child_tidptr: 3,
  child_tid: 3,
  tls: 4,
};

const SA_FAMILY = /sa_family=(AF_[A-Z0-9_]+|\d+)/;

const bounds: number[] = [];
const value: ValueOut = { ok: false, value: 0, big: null, unknown: null };
const argVals: (number | bigint | null)[] = new Array(MAX_ARGS).fill(null);

/** What decodeArgs found, for the caller's own use (e.g. phase markers). */
export interface DecodedArgs {
  /** first string argument (unescaped), or null. */
  firstString: string | null;
}

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
  found: DecodedArgs,
): void {
  splitArgs(s, start, end, bounds);
  const specs = argSpecs(syscall);
  const named = syscall === "clone";
  argVals.fill(null);
  let path: string | null = null;
  let path2: string | null = null;
  let fdPath: string | null = null;
  let fdDeleted = false;
  let family: number | null = null;
  let unknown: string[] | null = null;
  found.firstString = null;
  const nArgs = bounds.length >> 1;
  for (let k = 0; k < nArgs; k++) {
    let a = bounds[2 * k]!;
    let b = bounds[2 * k + 1]!;
    let pos = k;
    if (named) {
      const eq = s.indexOf("=", a);
      if (eq > a && eq < b && /^[a-z_]+$/.test(s.slice(a, eq))) {
        pos = CLONE_NAMED[s.slice(a, eq)] ?? k;
        a = eq + 1;
      }
    }
    const spec = specs?.[pos];
    const c = s.charCodeAt(a);
    if (c === 34 /* " */) {
      const q = s.lastIndexOf('"', b - 1);
      const text = unescapeString(s.slice(a + 1, q > a ? q : b));
      if (found.firstString === null) found.firstString = text;
      if (spec?.kind === "path") {
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
    const comment = s.indexOf(" /*", a);
    if (comment >= 0 && comment < b) b = comment;
    const lt = s.indexOf("<", a);
    if (lt >= 0 && lt < b) {
      const close = skipDecoration(s, lt, b);
      if (fdPath === null) {
        fdPath = fromLatin1(s.slice(lt + 1, close - 1));
        fdDeleted = s.startsWith(" (deleted)", close);
      }
      b = lt;
    }
    if (pos >= MAX_ARGS) continue;
    decodeScalar(s.slice(a, b), spec?.table, value);
    if (value.ok) argVals[pos] = value.big ?? value.value;
    else if (value.unknown) (unknown ??= []).push(...value.unknown);
  }
  for (let k = 0; k < MAX_ARGS; k++) {
    const v = argVals[k];
    if (v === null || v === undefined) batch.args[k]!.pushNull();
    else batch.args[k]!.push(v);
  }
  pushStr(batch.path, path);
  pushStr(batch.path2, path2);
  pushStr(batch.fd_path, fdPath);
  batch.fd_deleted.push(fdDeleted);
  if (family === null) batch.sa_family.pushNull();
  else batch.sa_family.push(family);
  pushStr(batch.unknown_syms, unknown ? unknown.join("|") : null);
}

function pushStr(b: EventBatch["path"], v: string | null): void {
  if (v === null) b.pushNull();
  else b.pushString(v);
}
