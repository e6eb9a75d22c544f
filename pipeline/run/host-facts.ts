/**
 * The host facts a recording or a validation depends on — kernel release, dockerd, runc (with its
 * libseccomp) and strace versions — as one parameter of the record and validate stages' keys, so
 * that a cache carried to another host does not pass off this host's traces or enforcement results
 * as that host's: a different kernel or runtime makes those stages stale (--status names `host`).
 * Read once per process (four short commands); a program that is missing reads as "missing".
 */
import { execFileSync } from "node:child_process";

export interface HostFacts {
  kernel: string;
  dockerd: string;
  runc: string;
  strace: string;
}

function firstLines(cmd: string, args: readonly string[], lines = 1): string {
  try {
    const out = execFileSync(cmd, args, {
      encoding: "utf8",
      timeout: 10_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return out.split("\n").slice(0, lines).join(" ").trim() || "unknown";
  } catch {
    return "missing";
  }
}

let facts: HostFacts | undefined;

export function hostFacts(): HostFacts {
  if (facts) return facts;
  const runc = firstLines("runc", ["--version"], 10);
  const libseccomp = /libseccomp:\s*(\S+)/.exec(runc)?.[1];
  facts = {
    kernel: firstLines("uname", ["-r"]),
    dockerd: firstLines("dockerd", ["--version"]),
    runc:
      runc === "missing"
        ? runc
        : `${runc.split(" commit:")[0]}${libseccomp ? ` libseccomp ${libseccomp}` : ""}`,
    strace: firstLines("strace", ["-V"]),
  };
  return facts;
}
