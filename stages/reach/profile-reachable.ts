/**
 * `synthesize --reachable allow|log`: a mined profile widened by the calls the image's code can
 * reach but no run made (S \ M), except those the dangerous-syscall table lists, so a team can
 * trade attack surface for fewer false alarms knowingly. One rule per call, its action ALLOW (or
 * LOG, for complain mode), its comment naming the origin: `static: FILE: FUNCTION (called by …)`.
 * Calls the profile already allows unconditionally are left as they are.
 */
import { DANGEROUS_SYSCALLS } from "../../schemas/dangerous-syscalls.ts";
import type { DockerProfile, SyscallRule } from "../../schemas/seccomp-profile.ts";
import type { Unseen } from "./compare.ts";

export const REACHABLE_MODES = ["allow", "log"] as const;
export type ReachableMode = (typeof REACHABLE_MODES)[number];

export interface ReachableAddition {
  syscall: string;
  origin: string;
  likelihood: string;
}

export interface Widened {
  profile: DockerProfile;
  added: ReachableAddition[];
  /** S \ M members left out because the dangerous-syscall table lists them */
  withheld: { syscall: string; cves: string[] }[];
}

/** The profile with S \ M's non-dangerous calls added (a new object; the input is not changed). */
export function widenWithReachable(
  profile: DockerProfile,
  unseen: readonly Unseen[],
  mode: ReachableMode,
): Widened {
  const dangerous = new Set(DANGEROUS_SYSCALLS.map((d) => d.name));
  const unconditional = new Set(
    profile.syscalls
      .filter((r) => r.action === "SCMP_ACT_ALLOW" && !r.args?.length && !r.includes && !r.excludes)
      .flatMap((r) => r.names),
  );
  const added: ReachableAddition[] = [];
  const withheld: Widened["withheld"] = [];
  const rules: SyscallRule[] = [];
  for (const u of [...unseen].sort((a, b) => (a.syscall < b.syscall ? -1 : 1))) {
    if (dangerous.has(u.syscall) || u.risk !== "none") {
      withheld.push({ syscall: u.syscall, cves: u.cves });
      continue;
    }
    if (unconditional.has(u.syscall)) continue;
    const origin = u.origins[0] ?? "static analysis";
    added.push({ syscall: u.syscall, origin, likelihood: u.likelihood });
    rules.push({
      names: [u.syscall],
      action: mode === "allow" ? "SCMP_ACT_ALLOW" : "SCMP_ACT_LOG",
      comment: `static: ${origin} (${u.likelihood}); reachable in the image's code, never seen in the runs`,
    });
  }
  return { profile: { ...profile, syscalls: [...profile.syscalls, ...rules] }, added, withheld };
}
