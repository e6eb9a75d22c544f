/**
 * CPU time of a running container, from its cgroup: cgroup v2 `cpu.stat` (usage_usec) where the
 * container's process is in a v2 hierarchy (also the unified one of a hybrid host), else cgroup
 * v1 `cpuacct.usage` (ns). The cgroup is found from /proc/PID/cgroup of the container's init
 * process, so it works whatever cgroup parent the engine uses. It counts every process in the
 * container — with the benchmark client on the host, that is the server alone.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface CpuMeter {
  source: string;
  /** CPU seconds the cgroup has used so far. */
  read(): number;
}

const V2_ROOTS = ["/sys/fs/cgroup/unified", "/sys/fs/cgroup"];
const V1_ROOTS = ["/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpuacct,cpu"];

function usageUsec(file: string): number | null {
  const m = /^usage_usec (\d+)$/m.exec(readFileSync(file, "utf8"));
  return m ? Number(m[1]) : null;
}

/** The meter of the cgroup process `pid` is in, or null when neither hierarchy has one. */
export function cpuMeter(pid: number): CpuMeter | null {
  let lines: string[];
  try {
    lines = readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n");
  } catch {
    return null;
  }
  const v2 = lines.find((l) => l.startsWith("0::"))?.slice(3);
  if (v2 && v2 !== "/")
    for (const root of V2_ROOTS) {
      const f = join(root, v2, "cpu.stat");
      if (existsSync(f) && usageUsec(f) !== null)
        return { source: "cgroup v2 cpu.stat usage_usec", read: () => (usageUsec(f) ?? NaN) / 1e6 };
    }
  const v1 = lines.map((l) => l.split(":")).find((p) => p[1]?.split(",").includes("cpuacct"))?.[2];
  if (v1)
    for (const root of V1_ROOTS) {
      const f = join(root, v1, "cpuacct.usage");
      if (existsSync(f))
        return {
          source: "cgroup v1 cpuacct.usage",
          read: () => Number(readFileSync(f, "utf8").trim()) / 1e9,
        };
    }
  return null;
}
