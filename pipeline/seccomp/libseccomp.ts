/**
 * libseccomp itself, through Debian's python3-seccomp (/usr/bin/python3, not a pyenv python3 on
 * PATH): compiles a profile the way runc 1.1.5 does (libseccomp-py.ts) and returns the BPF program,
 * its exact instruction count, and what runc's ENOSYS stub needs.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { dockerJson } from "../../stages/profile/render.ts";
import { toOci } from "../../stages/seccomp/oci.ts";
import type { Target } from "../../stages/seccomp/target.ts";
import { LIBSECCOMP_PY } from "./libseccomp-py.ts";

export const SYSTEM_PYTHON = "/usr/bin/python3";

export interface LibseccompBuild {
  /** the exported program: struct sock_filter[], little endian */
  program: Buffer;
  instructions: number;
  /** names runc skips: the native libseccomp does not know them */
  skipped: string[];
  /** rules libseccomp refused (runc would fail to start the container) */
  refused: { name: string; error: string }[];
  /** runc's findLastSyscalls: the largest syscall number per listed SCMP_ARCH_* */
  lastSyscalls: Record<string, number>;
}

/** Why libseccomp cannot be used here, or null when it can. */
export function libseccompUnavailable(): string | null {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} not found`;
  try {
    execFileSync(SYSTEM_PYTHON, ["-c", "import seccomp"], { stdio: "pipe" });
    return null;
  } catch {
    return `${SYSTEM_PYTHON} has no seccomp module (apt-get install python3-seccomp)`;
  }
}

/**
 * Compiles `p` for `t` with libseccomp. Only meaningful when `t.arch` is this host's architecture:
 * libseccomp resolves names for its native arch, as runc does on the target.
 */
export function compileWithLibseccomp(p: DockerProfile, t: Target): LibseccompBuild {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sandmine-bpf-"));
  try {
    const out = path.join(dir, "filter.bpf");
    const input = `{"profile": ${dockerJson(toOci(p, t) as DockerProfile)}}`;
    const raw = execFileSync(SYSTEM_PYTHON, ["-c", LIBSECCOMP_PY, out], {
      input,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
    const summary = JSON.parse(raw) as Omit<LibseccompBuild, "program">;
    return { ...summary, program: readFileSync(out) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
