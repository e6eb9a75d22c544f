/** Reading profiles: exact 64-bit values in every format, and clear errors for bad ones. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dockerJson, k8sYaml, ociJson } from "../../stages/profile/render.ts";
import { parseProfile, ProfileError } from "../../stages/profile/parse.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { runCli } from "../util/cli.ts";

const P: DockerProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 1,
  architectures: ["SCMP_ARCH_X86_64"],
  syscalls: [
    {
      names: ["read", "write"],
      action: "SCMP_ACT_ALLOW",
      comment: "digits 12345678901234567890 in a comment stay text",
    },
    {
      names: ["ioctl"],
      action: "SCMP_ACT_ALLOW",
      args: [
        { index: 1, op: "SCMP_CMP_MASKED_EQ", value: 0xfffffffffffffff0n, valueTwo: 0x9007199254740993n },
      ],
    },
  ],
};

const tmp = mkdtempSync(join(tmpdir(), "sandmine-parse-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("profile parsing", () => {
  it("Docker JSON and the OCI fragment keep values above 2^53 exactly", () => {
    for (const text of [dockerJson(P), ociJson(P)]) {
      const back = parseProfile(text, "p.json");
      expect(back.syscalls[1]!.args![0]!.value).toBe(0xfffffffffffffff0n);
      expect(back.syscalls[1]!.args![0]!.valueTwo).toBe(0x9007199254740993n);
      expect(back.syscalls[0]!.names).toEqual(["read", "write"]);
    }
    expect(dockerJson(P)).toContain('"value": 18446744073709551600');
    expect(parseProfile(dockerJson(P), "p.json").syscalls[0]!.comment).toContain("12345678901234567890");
  });

  it("the SPO SeccompProfile YAML reads back as the same rules", () => {
    const spo = {
      ...P,
      syscalls: [
        P.syscalls[0]!,
        { ...P.syscalls[1]!, args: [{ index: 1, op: "SCMP_CMP_EQ" as const, value: 0x5401n }] },
      ],
    };
    const back = parseProfile(k8sYaml(spo, { name: "x", description: "d" }), "p.yaml");
    // the CRD has no defaultErrnoRet: the runtime's EPERM (1) stands in for it
    expect(back.defaultErrnoRet).toBeUndefined();
    expect(back.syscalls[1]!.args![0]!.value).toBe(0x5401);
  });

  it("bad profiles name the file and the problem", () => {
    expect(() => parseProfile("{", "a.json")).toThrow(/a\.json: not JSON or YAML/);
    expect(() => parseProfile('{"defaultAction":"DENY","syscalls":[]}', "b.json")).toThrow(
      /b\.json: defaultAction DENY is not a seccomp action/,
    );
    expect(() =>
      parseProfile(
        '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":7,"value":1,"op":"SCMP_CMP_EQ"}]}]}',
        "c.json",
      ),
    ).toThrow(/c\.json: syscalls\[0\]\.args\[0\]\.index must be 0-5/);
    expect(() =>
      parseProfile('{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"action":"SCMP_ACT_ALLOW"}]}', "d.json"),
    ).toThrow(ProfileError);
  });

  it("check: an unreadable profile is bad input (exit 2, the file named)", async () => {
    const f = join(tmp, "bad.json");
    writeFileSync(f, '{"defaultAction":"NOPE","syscalls":[]}');
    const r = await runCli("check", f, tmp);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.json: defaultAction NOPE/);
  });
});
