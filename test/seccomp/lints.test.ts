/**
 * Lints, the Docker default's expansion counts (seccomp.md §3.4), the size estimate against
 * libseccomp's exact count, and the comparison with Podman's default.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileWithLibseccomp, libseccompUnavailable } from "../../pipeline/seccomp/libseccomp.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { compareWithDefault } from "../../stages/seccomp/compare.ts";
import { compileProfile } from "../../stages/seccomp/compile.ts";
import { evaluate } from "../../stages/seccomp/evaluate.ts";
import { allowedNames, lintProfile } from "../../stages/seccomp/lints.ts";
import { toOci } from "../../stages/seccomp/oci.ts";
import { estimateSize } from "../../stages/seccomp/size.ts";
import { requireOrSkip, sharedDatasets } from "../util/datasets.ts";

const X86_64 = { arch: "x86_64" } as const;
const shared = requireOrSkip(sharedDatasets(), "shared datasets");
const dockerDefault = (): DockerProfile =>
  JSON.parse(readFileSync(path.join(shared.path!, "profiles/docker-default.json"), "utf8")) as DockerProfile;
const PODMAN = "/usr/share/containers/seccomp.json";
const unavailable = libseccompUnavailable();

const base: DockerProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 1,
  architectures: ["SCMP_ARCH_X86_64"],
  syscalls: [{ names: ["read", "write", "exit_group"], action: "SCMP_ACT_ALLOW" }],
};

describe("lintProfile", () => {
  it("a clean profile has only informational lints: the stub's limit and the size", () => {
    const l = lintProfile(base, X86_64);
    expect(l.map((x) => x.code)).toEqual(["enosys-stub", "filter-size"]);
    expect(l[0]!.names).toEqual(["exit_group"]);
  });
  it("catches names libseccomp 2.5.4 does not know (runc would ignore them)", () => {
    const p = {
      ...base,
      syscalls: [...base.syscalls, { names: ["mseal", "no_such_call"], action: "SCMP_ACT_ALLOW" as const }],
    };
    const l = lintProfile(p, X86_64).find((x) => x.code === "unknown-name");
    expect(l).toMatchObject({ severity: "error", rule: 1, names: ["mseal", "no_such_call"] });
  });
  it("catches rules equal to the default action (runc drops them)", () => {
    const p = {
      ...base,
      syscalls: [...base.syscalls, { names: ["mount"], action: "SCMP_ACT_ERRNO" as const, errnoRet: 1 }],
    };
    expect(lintProfile(p, X86_64).find((x) => x.code === "default-equal")).toMatchObject({
      severity: "error",
      rule: 1,
    });
  });
  it("shadowed conditional rules, conflicting rules, split conditions, SPO range, masks", () => {
    const p: DockerProfile = {
      ...base,
      syscalls: [
        ...base.syscalls,
        {
          names: ["read"],
          action: "SCMP_ACT_ERRNO",
          errnoRet: 5,
          args: [{ index: 0, value: 3, op: "SCMP_CMP_EQ" }],
        },
        { names: ["ioctl"], action: "SCMP_ACT_ALLOW", args: [{ index: 1, value: 1, op: "SCMP_CMP_EQ" }] },
        {
          names: ["ioctl"],
          action: "SCMP_ACT_ERRNO",
          errnoRet: 9,
          args: [{ index: 1, value: 1, op: "SCMP_CMP_EQ" }],
        },
        {
          names: ["fcntl"],
          action: "SCMP_ACT_ALLOW",
          args: [
            { index: 1, value: 1, op: "SCMP_CMP_EQ" },
            { index: 1, value: 2, op: "SCMP_CMP_EQ" },
          ],
        },
        {
          names: ["mmap"],
          action: "SCMP_ACT_ALLOW",
          args: [{ index: 2, value: 0xf, valueTwo: 0x13, op: "SCMP_CMP_MASKED_EQ" }],
        },
        {
          names: ["lseek"],
          action: "SCMP_ACT_ALLOW",
          args: [{ index: 0, value: 0xffffffffffffffffn, op: "SCMP_CMP_NE" }],
        },
      ],
    };
    const codes = lintProfile(p, X86_64).map((l) => `${l.code}:${l.rule ?? ""}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        "shadowed-conditional:1",
        "refused-rule:3",
        "mixed-conditional-actions:",
        "split-conditions:4",
        "masked-value-outside-mask:5",
        "spo-value-range:6",
      ]),
    );
  });
  it("names dangerous syscalls with their CVEs", () => {
    const p = {
      ...base,
      syscalls: [...base.syscalls, { names: ["keyctl"], action: "SCMP_ACT_ALLOW" as const }],
    };
    expect(lintProfile(p, X86_64).find((x) => x.code === "dangerous-syscall")?.message).toContain(
      "CVE-2016-0728",
    );
  });
});

describe.skipIf(shared.path === null)("Docker's default profile (seccomp.md §3.4)", () => {
  it("x86_64 with the default caps: 306 unconditional names (298 known to libseccomp 2.5.4 + 8 it does not know), 3 argument-filtered", () => {
    const d = dockerDefault();
    const f = compileProfile(d, X86_64);
    const a = allowedNames(f);
    expect(a.conditional).toEqual(["clone", "personality", "socket"]);
    const unknownAllowed = new Set(
      f.unknownNames.filter((u) => d.syscalls[u.rule]!.action === "SCMP_ACT_ALLOW").map((u) => u.name),
    );
    unknownAllowed.delete("riscv_hwprobe"); // not an x86_64 syscall
    expect(a.always.length).toBe(298);
    expect(a.always.length + unknownAllowed.size).toBe(306);
    expect(a.always).toEqual(expect.arrayContaining(["ptrace", "chroot", "arch_prctl", "process_vm_readv"]));
    // clone3: ENOSYS through its rule; a number above the highest in the filter: ENOSYS from the stub
    expect(evaluate(f, "x86_64", 435, [0n, 0n, 0n, 0n, 0n, 0n])).toMatchObject({
      action: "SCMP_ACT_ERRNO",
      errno: 38,
    });
    expect(evaluate(f, "x86_64", 500, [0n, 0n, 0n, 0n, 0n, 0n])).toMatchObject({ errno: 38, source: "stub" });
    expect(evaluate(f, "x86_64", 165, [0n, 0n, 0n, 0n, 0n, 0n])).toMatchObject({
      errno: 1,
      source: "default",
    }); // mount
  });
  it("toOci drops the Docker extensions and keeps the native archMap entry", () => {
    const o = toOci(dockerDefault(), X86_64);
    expect(o.architectures).toEqual(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
    expect(JSON.stringify(o)).not.toMatch(/includes|excludes|comment|archMap/);
  });
  it.skipIf(unavailable !== null)("size estimate within 5% of libseccomp's exact count", () => {
    const d = dockerDefault();
    const exact = compileWithLibseccomp(d, X86_64).instructions;
    const est = estimateSize(compileProfile(d, X86_64)).filter;
    expect(Math.abs(est - exact) / exact).toBeLessThan(0.05);
    const only64 = { ...d, archMap: undefined, architectures: ["SCMP_ARCH_X86_64"] };
    console.log(
      `docker-default: libseccomp ${exact} instructions (x86_64+x86+x32), ${compileWithLibseccomp(only64, X86_64).instructions} for x86_64 alone; estimate ${est}`,
    );
  });
  it.skipIf(!existsSync(PODMAN))("compared with Podman's default", () => {
    const pod = JSON.parse(readFileSync(PODMAN, "utf8")) as DockerProfile;
    const c = compareWithDefault(pod, dockerDefault(), X86_64);
    expect(c.both.length).toBeGreaterThan(250);
    expect(c.onlyOurs).toContain("unshare");
  });
});
