/** widenWithReachable and coverageBound: the pure parts of synthesize --reachable and coverage's bound. */
import { describe, expect, it } from "vitest";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import type { Unseen } from "../../stages/reach/compare.ts";
import { coverageBound } from "../../stages/reach/coverage-bound.ts";
import { widenWithReachable } from "../../stages/reach/profile-reachable.ts";

const profile: DockerProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  syscalls: [{ names: ["read", "write"], action: "SCMP_ACT_ALLOW" }],
};
const unseen: Unseen[] = [
  {
    syscall: "keyctl",
    nr: 250,
    risk: "warning",
    cves: ["CVE-2016-0728"],
    likelihood: "library",
    origins: ["/lib/libkeyutils.so.1"],
  },
  {
    syscall: "fsync",
    nr: 74,
    risk: "none",
    cves: [],
    likelihood: "program-libc",
    origins: ["/lib/libc.so.6: fsync (called by /usr/bin/redis-server)"],
  },
  {
    syscall: "madvise",
    nr: 28,
    risk: "info",
    cves: ["CVE-2016-5195"],
    likelihood: "program-libc",
    origins: ["/lib/libc.so.6: free"],
  },
  { syscall: "read", nr: 0, risk: "none", cves: [], likelihood: "program", origins: ["/usr/bin/x"] },
];

describe("synthesize --reachable", () => {
  it("adds the non-dangerous calls with their static origin, withholds CVE-listed ones, keeps the input", () => {
    const w = widenWithReachable(profile, unseen, "allow");
    expect(w.added.map((a) => a.syscall)).toEqual(["fsync"]);
    expect(w.withheld.map((x) => x.syscall)).toEqual(["keyctl", "madvise"]);
    const rule = w.profile.syscalls.at(-1)!;
    expect(rule).toMatchObject({ names: ["fsync"], action: "SCMP_ACT_ALLOW" });
    expect(rule.comment).toMatch(/^static: \/lib\/libc\.so\.6: fsync \(called by \/usr\/bin\/redis-server\)/);
    expect(profile.syscalls).toHaveLength(1);
  });
  it("log mode logs instead of allowing", () => {
    expect(widenWithReachable(profile, unseen, "log").profile.syscalls.at(-1)!.action).toBe("SCMP_ACT_LOG");
  });
});

describe("coverage bound", () => {
  it("flags a Chao2 estimate above |S ∪ M|", () => {
    const b = coverageBound(12.5, ["a", "b", "c"], ["a", "b", "d", "e"]);
    expect(b).toMatchObject({ mined: 3, reachable: 4, union: 5, exceeds: true, bounded: 5 });
    expect(coverageBound(4, ["a", "b", "c"], ["a", "d"]).exceeds).toBe(false);
  });
});
