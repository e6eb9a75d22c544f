/**
 * The evaluator against libseccomp itself: python3-seccomp compiles each profile as runc 1.1.5
 * would, runc's ENOSYS stub is prepended (built like patchbpf does, from what libseccomp resolves),
 * and a classic-BPF interpreter runs the program on the same calls. Every verdict (action and
 * errno) must agree.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileWithLibseccomp, libseccompUnavailable } from "../../pipeline/seccomp/libseccomp.ts";
import { LIBSECCOMP_SYSCALLS } from "../../schemas/generated/libseccomp-syscalls.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { compileProfile } from "../../stages/seccomp/compile.ts";
import { evaluate } from "../../stages/seccomp/evaluate.ts";
import type { Target } from "../../stages/seccomp/target.ts";
import { requireOrSkip, sharedDatasets } from "../util/datasets.ts";
import { enosysStub, parseProgram, run } from "./util/bpf.ts";
import { callsFor } from "./util/calls.ts";
import { HAND_PROFILES, randomProfile } from "./util/profiles.ts";

const CALLS = 20_000;
const PODMAN = "/usr/share/containers/seccomp.json";
const unavailable = libseccompUnavailable();
if (unavailable && process.env.CI) throw new Error(`${unavailable}; required when CI is set`);

/** Names whose conditional rules carry more than one action (after runc drops default-equal ones). */
function mixedNames(p: DockerProfile, t: Target): Set<string> {
  const f = compileProfile(p, t);
  const acts = new Map<string, Set<string>>();
  for (const { rule, names } of f.rules) {
    if (!rule.args?.length) continue;
    for (const n of names) {
      const k = `${rule.action}/${rule.errnoRet ?? ""}`;
      acts.set(n, (acts.get(n) ?? new Set()).add(k));
    }
  }
  return new Set([...acts].filter(([, s]) => s.size > 1).map(([n]) => n));
}

interface DiffResult {
  calls: number;
  mismatches: string[];
  /** calls of syscalls with conditional rules of several actions: checked, counted apart */
  mixedCalls: number;
  mixedMismatches: number;
}

function differential(p: DockerProfile, t: Target, seed: number): DiffResult {
  const f = compileProfile(p, t);
  const mixed = mixedNames(p, t);
  let mixedCalls = 0;
  let mixedMismatches = 0;
  const lib = compileWithLibseccomp(p, t);
  const stub = t.runcEnosysStub === false || !f.stub ? [] : enosysStub(lib.lastSyscalls);
  const prog = [...stub, ...parseProgram(lib.program)];
  const mismatches: string[] = [];
  const calls = callsFor(f, CALLS, seed);
  for (const c of calls) {
    const want = run(prog, { nr: c.nr, arch: c.audit, args: c.args });
    const got = evaluate(f, c.arch, c.nr, c.args);
    const name = syscallNameFor(c.arch, c.nr);
    if (name !== undefined && mixed.has(name)) {
      mixedCalls++;
      if (got.ret !== want) mixedMismatches++;
      continue;
    }
    if (got.ret !== want && mismatches.length < 10)
      mismatches.push(
        `${c.arch} nr=${c.nr} args=[${c.args.map((a) => "0x" + a.toString(16)).join(",")}]: ` +
          `libseccomp 0x${want.toString(16)}, evaluator 0x${(got.ret ?? 0).toString(16)} (${got.action} ${got.errno ?? ""} rule ${got.rule})`,
      );
  }
  return { calls: calls.length, mismatches, mixedCalls, mixedMismatches };
}

function syscallNameFor(arch: string, nr: number): string | undefined {
  // x86_64 and x32 share one BPF section: the number tells which table
  const key = arch === "x86_64" || arch === "x32" ? (nr & 0x40000000 ? "x32" : "x86_64") : arch;
  const table = LIBSECCOMP_SYSCALLS[key as keyof typeof LIBSECCOMP_SYSCALLS];
  if (!table) return undefined;
  for (const [n, v] of Object.entries(table)) if (v >>> 0 === nr) return n;
  if (arch === "x86" && (nr === 102 || nr === 117)) return nr === 102 ? "socketcall" : "ipc";
  return undefined;
}

const X86_64: Target = { arch: "x86_64" };

describe.skipIf(unavailable !== null)(
  `evaluator agrees with libseccomp 2.5.4 (${unavailable ?? "python3-seccomp"})`,
  () => {
    const shared = requireOrSkip(sharedDatasets(), "shared datasets");
    it.skipIf(shared.path === null)("docker-default.json, x86_64, Docker's default caps", () => {
      const p = JSON.parse(
        readFileSync(path.join(shared.path!, "profiles/docker-default.json"), "utf8"),
      ) as DockerProfile;
      const r = differential(p, X86_64, 1);
      expect(r.mismatches).toEqual([]);
      expect(r.calls).toBeGreaterThanOrEqual(CALLS);
    });
    it.skipIf(shared.path === null)("docker-default.json with CAP_SYS_ADMIN, without the stub", () => {
      const p = JSON.parse(
        readFileSync(path.join(shared.path!, "profiles/docker-default.json"), "utf8"),
      ) as DockerProfile;
      const r = differential(
        p,
        { arch: "x86_64", caps: ["CAP_SYS_ADMIN", "CAP_SYS_PTRACE"], runcEnosysStub: false },
        2,
      );
      expect(r.mismatches).toEqual([]);
    });
    it.skipIf(!existsSync(PODMAN))("Podman's default (containers-common), x86_64", () => {
      const p = JSON.parse(readFileSync(PODMAN, "utf8")) as DockerProfile;
      const r = differential(p, X86_64, 4);
      expect(r.mismatches).toEqual([]);
    });
    for (const [name, p] of Object.entries(HAND_PROFILES)) {
      it(`hand-written: ${name}`, () => {
        const r = differential(p, X86_64, 3);
        expect(r.mismatches).toEqual([]);
      });
    }
  },
);

describe.skipIf(unavailable !== null)("evaluator agrees with libseccomp on random profiles", () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`random profile ${seed}`, () => {
      const r = differential(randomProfile(seed), X86_64, seed);
      console.log(
        `random ${seed}: ${r.calls} calls, ${r.mixedCalls} on mixed-action syscalls, ${r.mixedMismatches} of them differ`,
      );
      expect(r.mismatches).toEqual([]);
    });
  }
});
