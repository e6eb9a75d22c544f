/**
 * Writes a mined profile widened by reach's S \ M (stages/reach/profile-reachable.ts): reads a
 * Docker/OCI JSON profile, adds the reachable-but-unseen calls that are not dangerous, writes the
 * result (and the additions with their origins beside it, FILE.reachable.json).
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { ProfileReport, SyscallEntry } from "../../schemas/profile-report.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { DANGEROUS_SYSCALLS } from "../../schemas/dangerous-syscalls.ts";
import { DOCKER_DEFAULT_PROFILE } from "../../schemas/generated/docker-default.ts";
import { compareWithDefault } from "../../stages/seccomp/compare.ts";
import type { Unseen } from "../../stages/reach/compare.ts";
import {
  widenWithReachable,
  type ReachableMode,
  type Widened,
} from "../../stages/reach/profile-reachable.ts";
import { UsageError } from "../errors.ts";
import { assess, DOCKER_DEFAULT, DOCKER_DEFAULT_NAME } from "../profile/synthesize.ts";

export async function widenProfileFile(
  input: string,
  out: string,
  unseen: readonly Unseen[],
  mode: ReachableMode,
  /** the architecture reach analysed (its names are the unseen calls'); only x86_64 code widens an x86_64 profile */
  analysedArch: string = "x86_64",
): Promise<Widened> {
  if (analysedArch !== "x86_64" && analysedArch !== "none")
    throw new UsageError(
      `the image's code is ${analysedArch}: its reachable calls are ${analysedArch}'s, and --reachable/--widen widen x86_64 profiles only`,
    );
  const text = await readFile(input, "utf8").catch(() => {
    throw new UsageError(`${input}: cannot read the profile`);
  });
  let profile: DockerProfile;
  try {
    profile = JSON.parse(text) as DockerProfile;
  } catch (e) {
    throw new UsageError(`${input}: not JSON (${(e as Error).message})`);
  }
  if (
    typeof profile !== "object" ||
    profile === null ||
    !Array.isArray(profile.syscalls) ||
    typeof profile.defaultAction !== "string"
  ) {
    throw new UsageError(`${input}: not a Docker/OCI seccomp profile (needs defaultAction and syscalls)`);
  }
  const w = widenWithReachable(profile, unseen, mode);
  await writeFile(out, JSON.stringify(w.profile, null, 2) + "\n");
  await writeFile(
    out.replace(/\.json$/, "") + ".reachable.json",
    JSON.stringify({ mode, added: w.added, withheld: w.withheld }, null, 2) + "\n",
  );
  await noteInReport(out, w, mode);
  return w;
}

/**
 * The profile report synthesize wrote beside OUT (OUT.report.json) is rewritten to describe the
 * widened profile, the one in OUT: the added calls as allowed entries (their static origin in the
 * notes), the allowed and rule counts, and the lints, filter size and runtime-default comparisons
 * assessed again (pipeline/profile/synthesize.ts's assess, the same runtime defaults). The mined
 * profile's own figures stay under `reachable.mined`, beside what was added and withheld and the
 * widened profile's attack surface against Docker's default.
 */
async function noteInReport(out: string, w: Widened, mode: ReachableMode): Promise<void> {
  const file = out.replace(/\.json$/, "") + ".report.json";
  if (!existsSync(file)) return;
  const report = JSON.parse(await readFile(file, "utf8")) as ProfileReport & { reachable?: unknown };
  const mined = {
    allowed: report.allowed,
    rules: { ...report.rules },
    filter_size: { ...report.filter_size },
    lints: report.lints.length,
    defaults: report.defaults.map((d) => ({
      profile: d.profile,
      allowed_ours: d.allowed_ours,
      dangerous_removed: d.dangerous_removed,
    })),
  };
  const entries: SyscallEntry[] = w.added.map((a) => ({
    name: a.syscall,
    verdict: "allow",
    notes: [
      `static: ${a.origin} (${a.likelihood}); reachable in the image's code, never seen in the runs${mode === "log" ? "; logged (SCMP_ACT_LOG), not denied" : ""}`,
    ],
  }));
  report.syscalls = [...report.syscalls, ...entries];
  report.allowed += w.added.length;
  report.rules = {
    profile_rules: report.rules.profile_rules + w.added.length,
    type_rules: report.rules.type_rules + w.added.length,
    type_arg_rules: report.rules.type_arg_rules + w.added.length,
  };
  const compare = report.defaults.map((d) =>
    d.runtime === "docker" && d.profile === DOCKER_DEFAULT_NAME ? DOCKER_DEFAULT : d.profile,
  );
  assess({ profile: w.profile, report }, compare);
  const c = compareWithDefault(w.profile, DOCKER_DEFAULT_PROFILE, { arch: "x86_64" });
  const danger = new Set(DANGEROUS_SYSCALLS.map((d) => d.name));
  report.reachable = {
    mode,
    added: w.added,
    withheld: w.withheld,
    mined,
    docker_default: {
      allowed_default: c.default,
      allowed_ours: c.ours,
      removed: c.onlyDefault.length,
      dangerous_removed: c.onlyDefault.filter((n) => danger.has(n)),
    },
  };
  await writeFile(file, JSON.stringify(report, null, 1) + "\n");
}
