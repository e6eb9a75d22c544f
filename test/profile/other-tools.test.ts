/**
 * Profiles written by other tools (test/profile/fixtures/, hand-made in each tool's output shape;
 * README.md there names the documentation each reproduces): Inspektor Gadget's `advise_seccomp`,
 * oci-seccomp-bpf-hook and the SPO recorder, plus an older SPO release's string errnoRet and a
 * base profile SPO resolved. Each reads through parse.ts, and `check` and `diff` take it against a
 * profile synthesized from the bundled captures.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProfile, ProfileError } from "../../stages/profile/parse.ts";
import { ingestBundled } from "../util/bundled-dataset.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT, bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { loadSpoCrd, parseK8sYaml, spoCrdFile } from "./spo-crd.ts";

const FIXTURES = join(REPO_ROOT, "test", "profile", "fixtures");
const IG = join(FIXTURES, "inspektor-gadget-advise-seccomp.txt");
const HOOK = join(FIXTURES, "oci-seccomp-bpf-hook.out");
const RECORDER = join(FIXTURES, "spo-recorder-v1.yaml");
const OLD_SPO = join(FIXTURES, "spo-v1beta1-errnoret-string.yaml");
const BASE = join(FIXTURES, "spo-base-profile-resolved.yaml");
const ALL = [IG, HOOK, RECORDER, OLD_SPO, BASE];

const read = (f: string) => parseProfile(readFileSync(f, "utf8"), f);
const names = (f: string) => read(f).syscalls.flatMap((r) => r.names);

describe("other tools' profiles through parse.ts", () => {
  it("Inspektor Gadget advise_seccomp: the // CONTAINER line, three arches, one allow list", () => {
    const p = read(IG);
    expect(p.defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(p.defaultErrnoRet).toBeUndefined();
    expect(p.architectures).toEqual(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
    expect(p.syscalls).toHaveLength(1);
    expect(names(IG)).toContain("syscall_1f4");
    expect(names(IG)).toHaveLength(27);
    // the gadget prints one profile per container: two in a file are refused, naming both
    const two = readFileSync(IG, "utf8") + readFileSync(IG, "utf8").replace("// web", "// db");
    expect(() => parseProfile(two, "two.txt")).toThrow(
      /two\.txt: 2 profiles \(Inspektor Gadget prints one per container: web, db\)/,
    );
  });

  it("oci-seccomp-bpf-hook: one line of JSON, empty includes/excludes, the input profile's rules first", () => {
    const text = readFileSync(HOOK, "utf8");
    expect(text.includes("\n")).toBe(false);
    const p = read(HOOK);
    expect(p.architectures).toBeUndefined();
    expect(p.syscalls.map((r) => [r.action, r.names.length])).toEqual([
      ["SCMP_ACT_ERRNO", 1],
      ["SCMP_ACT_ALLOW", 21],
    ]);
    expect(p.syscalls[0]).toMatchObject({ names: ["mkdir"], includes: {}, excludes: {} });
  });

  it("the SPO recorder's SeccompProfile (v1, kubectl get -o yaml) applies against the CRD and reads", () => {
    const p = read(RECORDER);
    expect(p).toMatchObject({ defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64"] });
    expect(names(RECORDER)).toHaveLength(35);
    const crd = spoCrdFile();
    if (crd) expect(loadSpoCrd(crd).errors(parseK8sYaml(readFileSync(RECORDER, "utf8")))).toEqual([]);
  });

  it("an older SPO release's string errnoRet reads as the errno (the bundled CRD refuses it)", () => {
    const p = read(OLD_SPO);
    expect(p.syscalls[2]).toMatchObject({ names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 });
    expect(p.syscalls[1]!.args).toEqual([{ index: 0, value: 2, op: "SCMP_CMP_EQ" }]);
    const crd = spoCrdFile();
    if (crd)
      expect(loadSpoCrd(crd).errors(parseK8sYaml(readFileSync(OLD_SPO, "utf8")))).toEqual([
        "/spec/syscalls/2/errnoRet: must be integer",
      ]);
    const bad = readFileSync(OLD_SPO, "utf8").replace('errnoRet: "38"', 'errnoRet: "ENOSYS"');
    expect(() => parseProfile(bad, "bad.yaml")).toThrow(/syscalls\[2\]\.errnoRet "ENOSYS" is not an errno/);
  });

  it("a base profile: the union SPO resolved (syscalls annotation), else a clear refusal", () => {
    expect(names(BASE)).toHaveLength(17);
    expect(names(BASE)).toContain("execve"); // from the base, not the profile's own rule
    const unresolved = readFileSync(BASE, "utf8").replace(/^ {2}annotations:\n {4}syscalls: .*\n/m, "");
    expect(() => parseProfile(unresolved, "base.yaml")).toThrow(ProfileError);
    expect(() => parseProfile(unresolved, "base.yaml")).toThrow(
      /base\.yaml \(SeccompProfile spec\): baseProfileName runc-v1\.5\.1: the profile is the union with a base profile that is not in this file/,
    );
  });

  it("a one-item List (kubectl get sp -o yaml of a selection) reads as its item", () => {
    const item = readFileSync(RECORDER, "utf8")
      .split("\n")
      .filter((l) => !l.startsWith("#"))
      .map((l) => `    ${l}`)
      .join("\n");
    const list = `apiVersion: v1\nkind: List\nitems:\n  - ${item.trimStart()}\n`;
    expect(parseProfile(list, "list.yaml")).toEqual(read(RECORDER));
  });
});

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");

describe.skipIf(avail.skipReason !== null)("check and diff take other tools' profiles", () => {
  let tmp: string;
  let ds: string;
  let ours: string;
  beforeAll(async () => {
    ({ tmp, ds } = await ingestBundled("other-tools"));
    ours = join(tmp, "nginx.json");
    const s = await runCli("synthesize", ds, "--image", "nginx", "--args", "none", "--out", ours);
    expect(s.code, s.err).toBe(0);
  }, 240_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  interface Diff {
    default: { was: string; now: string } | null;
    architectures: { was: string[]; now: string[] } | null;
    added: { name: string }[];
    removed: { name: string; why: string }[];
    changed: { name: string; was: string; now: string }[];
  }

  const diff = async (theirs: string): Promise<Diff> => {
    const r = await runCli("diff", theirs, ours, "--json");
    expect(r.code, r.err).toBe(1); // they differ
    return JSON.parse(r.out) as Diff;
  };

  it("Inspektor Gadget: the arches it lists without recording them, its bogus name, what ours adds", async () => {
    const d = await diff(IG);
    expect(d.default).toBeNull(); // both deny with EPERM (the gadget sets no errno)
    expect(d.architectures).toEqual({
      was: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
      now: ["SCMP_ARCH_X86_64"],
    });
    expect(d.removed.map((c) => c.name)).toContain("syscall_1f4");
    expect(d.removed.find((c) => c.name === "syscall_1f4")!.why).toMatch(/not observed in 6 runs of nginx/);
    expect(d.added.map((c) => c.name)).toContain("execve");
    const text = await runCli("diff", IG, ours);
    expect(text.out).toMatch(
      /architectures: SCMP_ARCH_X86_64,SCMP_ARCH_X86,SCMP_ARCH_X32 → SCMP_ARCH_X86_64/,
    );
  });

  it("oci-seccomp-bpf-hook: its denied mkdir is allowed by ours (a change, not an addition)", async () => {
    const d = await diff(HOOK);
    expect(d.changed.find((c) => c.name === "mkdir")).toMatchObject({ was: "errno 1", now: "allow" });
    expect(d.added.map((c) => c.name)).toContain("execve");
  });

  it("the SPO recorder and the older string errnoRet: diffs by name, errnos as numbers", async () => {
    const rec = await diff(RECORDER);
    expect(rec.architectures).toBeNull();
    const mine = new Set(names(ours));
    expect(rec.removed.map((c) => c.name)).toEqual(names(RECORDER).filter((n) => !mine.has(n)));
    // ours answers clone3 with ENOSYS too: the string "38" and the number 38 are the same rule
    const old = await diff(OLD_SPO);
    expect([...old.added, ...old.removed, ...old.changed].map((c) => c.name)).not.toContain("clone3");
    expect(old.changed.find((c) => c.name === "socket")).toMatchObject({
      was: "allow if arg0 == 0x2",
      now: "allow",
    });
  });

  it.each(ALL.map((f) => [f.replace(/^.*\//, ""), f]))(
    "check %s: read (not bad input), replayed and linted",
    async (_name, file) => {
      const r = await runCli("check", file, ds, "--image", "nginx", "--json");
      expect(r.code, r.err).toBe(1); // each lacks calls nginx's recorded runs make
      const out = JSON.parse(r.out) as { denied: number; checked: number; lints: { code: string }[] };
      expect(out.checked).toBeGreaterThan(10_000);
      expect(out.denied).toBeGreaterThan(0);
      if (file === IG) expect(out.lints.map((l) => l.code)).toContain("unknown-name");
    },
  );

  it("a profile of another tool written to a temporary file keeps reading after a round trip", () => {
    const copy = join(tmp, "ig.json");
    writeFileSync(copy, readFileSync(IG, "utf8"));
    expect(read(copy)).toEqual(read(IG));
  });
});
