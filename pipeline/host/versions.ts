/** The host facts a validation depends on: kernel, OS, Docker, runc and its libseccomp, strace. */
import { readFileSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { HostInfo } from "../../schemas/validation-report.ts";
import { run } from "./proc.ts";

const read = (p: string): string | null => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return null;
  }
};

export async function hostInfo(docker: string | null): Promise<HostInfo> {
  const uname = await run("uname", ["-srm"], { timeout: 10 });
  const runc = await run("runc", ["--version"], { timeout: 10 }).catch(() => null);
  const strace = await run("strace", ["-V"], { timeout: 10 }).catch(() => null);
  const os = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(read("/etc/os-release") ?? "")?.[1] ?? "unknown";
  const runcOut = runc?.stdout ?? "";
  return {
    kernel: uname.stdout.trim(),
    os,
    docker,
    runc: runcOut.split("\n")[0]?.trim() || "unknown",
    libseccomp: /libseccomp:\s*(\S+)/.exec(runcOut)?.[1] ?? "unknown",
    strace: strace?.stdout.split("\n")[0]?.trim() ?? null,
    cores: availableParallelism(),
    actionsLogged: (read("/proc/sys/kernel/seccomp/actions_logged") ?? "")
      .trim()
      .split(/\s+/)
      .filter(Boolean),
  };
}

/** An audit daemon takes type=1326 records away from the kernel log: is one running? */
export function auditdRunning(): boolean {
  for (const pid of readdirSync("/proc")) {
    if (/^\d+$/.test(pid) && read(`/proc/${pid}/comm`)?.trim() === "auditd") return true;
  }
  return false;
}
